package dev.converge.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import com.sun.source.util.Trees;
import dev.converge.Join;
import dev.converge.Keep;
import dev.converge.Race;
import dev.converge.processor.generate.GeneratedFiles;
import dev.converge.processor.generate.ImplementationWriter;
import dev.converge.processor.generate.JoinResultWriter;
import dev.converge.processor.generate.RaceResultWriter;
import dev.converge.processor.model.CombinatorMethod;
import dev.converge.processor.model.ConvergeType;
import dev.converge.processor.validate.ErrorReporter;
import dev.converge.processor.validate.KeepValidator;
import dev.converge.processor.validate.Message;
import dev.converge.processor.validate.PlannedTypes;
import dev.converge.processor.validate.ResultPlanner;
import dev.converge.processor.validate.ResultTypeReader;
import dev.converge.processor.validate.TypeValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The Converge annotation processor: implements interfaces and abstract classes whose methods carry
 * {@link Race} and {@link Join}.
 *
 * <p>Each round runs three stages. <em>Collect</em> finds the types declaring annotated methods
 * (and any types deferred by an earlier round) and plans every type the round will generate, so a
 * result type that does not exist yet is resolved by name instead of waited for. <em>Validate</em>
 * checks each type against DESIGN 3.4 and 3.6, reporting every problem on the element it is about,
 * and builds a model. <em>Generate</em> writes, for each valid type, one result type per method and
 * the implementation class. A type with any error generates nothing; other types still do. Nothing
 * escapes: an unexpected failure is reported as one error on the type being processed.
 *
 * <p>Every generated file has exactly one originating element, the annotated type, which is what
 * Gradle's isolating incremental mode requires.
 */
@AutoService(Processor.class)
public final class ConvergeProcessor extends AbstractProcessor {

  private static final String GENERATED_ANNOTATION = "javax.annotation.processing.Generated";

  /** Types that need a type some other processor may still generate, by qualified name. */
  private final Set<String> deferred = new LinkedHashSet<>();

  private ResultTypeReader resultTypes;
  private GeneratedFiles files;

  /** Whether to use javac's tree API; off only in tests of compilers without it. */
  private final boolean useTrees;

  /** Creates the processor; the compiler calls {@link #init} before using it. */
  public ConvergeProcessor() {
    this(true);
  }

  /** Creates a processor that behaves as under a compiler without javac's tree API, for tests. */
  ConvergeProcessor(boolean useTrees) {
    this.useTrees = useTrees;
  }

  @Override
  public synchronized void init(ProcessingEnvironment processingEnv) {
    super.init(processingEnv);
    resultTypes = new ResultTypeReader(useTrees ? treesOf(processingEnv) : null);
    files = new GeneratedFiles(ConvergeProcessor.class.getName(),
        processingEnv.getElementUtils().getTypeElement(GENERATED_ANNOTATION)
            != null);
  }

  /**
   * Returns Converge's annotations, and {@code javax.annotation.processing.Generated}: every file
   * this processor writes carries it, and javac, when no processor claims an annotation, warns under
   * {@code -Xlint:processing}; claiming it keeps {@code -Xlint:all -Werror} builds quiet.
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Race.class.getName(), Join.class.getName(), Keep.class.getName(),
        GENERATED_ANNOTATION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
    ErrorReporter reporter = new ErrorReporter(processingEnv.getMessager());
    List<TypeElement> types;
    PlannedTypes planned;
    try {
      KeepValidator keeps = new KeepValidator(reporter);
      roundEnv.getElementsAnnotatedWith(Keep.class).forEach(keeps::validate);
      types = collect(roundEnv);
      planned = new ResultPlanner(resultTypes).plan(types);
    } catch (RuntimeException | StackOverflowError e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Message.UNEXPECTED_FAILURE.format("this round", describe(e)));
      return true;
    }
    TypeValidator validator = new TypeValidator(reporter, planned, resultTypes,
        processingEnv.getElementUtils(), processingEnv.getTypeUtils());
    for (TypeElement type : types) {
      try {
        handle(type, validator.validate(type), roundEnv, reporter);
      } catch (RuntimeException | StackOverflowError e) {
        reporter.error(type, Message.UNEXPECTED_FAILURE, type.getQualifiedName(), describe(e));
      }
    }
    return true;
  }

  /**
   * The annotated types of this round and those deferred by the previous one, each once, ordered by
   * qualified name so that planning, and so every clash reported, does not depend on file order.
   */
  private List<TypeElement> collect(RoundEnvironment roundEnv) {
    TreeMap<String, TypeElement> types = new TreeMap<>();
    for (String name : deferred) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null) {
        types.put(name, type);
      }
    }
    deferred.clear();
    List<Element> methods = new ArrayList<>(roundEnv.getElementsAnnotatedWith(Race.class));
    methods.addAll(roundEnv.getElementsAnnotatedWith(Join.class));
    for (Element method : methods) {
      if (method.getEnclosingElement() instanceof TypeElement type) {
        types.putIfAbsent(type.getQualifiedName().toString(), type);
      }
    }
    List<TypeElement> ordered = new ArrayList<>(types.values());
    ordered.sort(Comparator.comparing(type -> type.getQualifiedName().toString()));
    return ordered;
  }

  private void handle(TypeElement type, TypeValidator.Result result, RoundEnvironment roundEnv,
      ErrorReporter reporter) {
    if (result instanceof TypeValidator.Valid valid) {
      generate(valid.type(), reporter);
    } else if (result instanceof TypeValidator.Deferred waiting) {
      if (roundEnv.processingOver()) {
        waiting.report(reporter);
      } else {
        deferred.add(type.getQualifiedName().toString());
      }
    }
  }

  /** Builds every file of the type first, so a failure leaves none of them half written. */
  private void generate(ConvergeType type, ErrorReporter reporter) {
    RaceResultWriter races = new RaceResultWriter(files);
    JoinResultWriter joins = new JoinResultWriter(files);
    List<JavaFile> generated = new ArrayList<>();
    for (CombinatorMethod method : type.methods()) {
      generated.add(method.rule().isRace()
          ? races.write(type, method)
          : joins.write(type, method));
    }
    generated.add(new ImplementationWriter(files).write(type));
    for (JavaFile file : generated) {
      try {
        file.writeTo(processingEnv.getFiler());
      } catch (IOException e) {
        reporter.error(type.element(), Message.WRITE_FAILED,
            file.packageName() + "." + file.typeSpec().name(), describe(e));
      }
    }
  }

  /** The tree API, or null where the compiler is not javac (or hides it behind a wrapper). */
  private static Trees treesOf(ProcessingEnvironment processingEnv) {
    try {
      return Trees.instance(processingEnv);
    } catch (IllegalArgumentException | LinkageError e) {
      return null;
    }
  }

  /** One line about a failure, without a stack trace. */
  private static String describe(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
