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
import dev.converge.processor.validate.KeepValidator;
import dev.converge.processor.validate.Message;
import dev.converge.processor.validate.PlannedTypes;
import dev.converge.processor.validate.ResultPlanner;
import dev.converge.processor.validate.ResultTypeReader;
import dev.converge.processor.validate.TypeValidator;
import dev.converge.processor.validate.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Messager;
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
 * checks each type and each of its methods against docs/design.md sections 3.4 and 3.6 and returns
 * a report and a model; only this class prints reports. <em>Generate</em> writes one result type
 * per valid method and, once the whole type is valid, the implementation class. So one bad method
 * costs the user one error: the other methods' result types still exist, and nothing that uses them
 * fails to compile.
 * Nothing escapes: an unexpected failure is reported as one error on the type being processed
 * (with its stack trace under {@code -Aconverge.debug}).
 *
 * <p>Every generated file has exactly one originating element, the annotated type, which is what
 * Gradle's isolating incremental mode requires.
 */
@AutoService(Processor.class)
public final class ConvergeProcessor extends AbstractProcessor {

  private static final String GENERATED_ANNOTATION = "javax.annotation.processing.Generated";

  /** The option that adds the stack trace to the report of an internal failure. */
  static final String DEBUG_OPTION = "converge.debug";

  /** Types that need a type some other processor may still generate, by qualified name. */
  private final Set<String> deferred = new LinkedHashSet<>();

  private ResultTypeReader resultTypes;
  private GeneratedFiles files;
  private boolean debug;

  /** Whether to look for javac's tree API; off only in tests of compilers without it. */
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
    Optional<Trees> trees = useTrees ? JavacTrees.find(processingEnv) : Optional.empty();
    resultTypes = new ResultTypeReader(trees);
    files =
        new GeneratedFiles(
            ConvergeProcessor.class.getName(),
            processingEnv.getElementUtils().getTypeElement(GENERATED_ANNOTATION) != null);
    // -Aconverge.debug arrives with a null value; -Aconverge.debug=false turns it off.
    Map<String, String> options = processingEnv.getOptions();
    debug =
        options.containsKey(DEBUG_OPTION) && !"false".equalsIgnoreCase(options.get(DEBUG_OPTION));
  }

  /**
   * Returns Converge's annotations, and {@code javax.annotation.processing.Generated}: every file
   * this processor writes carries it, and javac, when no processor claims an annotation, warns under
   * {@code -Xlint:processing}; claiming it keeps {@code -Xlint:all -Werror} builds quiet.
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(
        Race.class.getName(), Join.class.getName(), Keep.class.getName(), GENERATED_ANNOTATION);
  }

  /** Returns {@code converge.debug}: {@code -Aconverge.debug} reports internal failures in full. */
  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(DEBUG_OPTION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
    Messager messager = processingEnv.getMessager();
    List<TypeElement> types;
    PlannedTypes planned;
    try {
      KeepValidator keeps = new KeepValidator();
      for (Element parameter : roundEnv.getElementsAnnotatedWith(Keep.class)) {
        keeps.validate(parameter).printErrors(messager);
      }
      types = collect(roundEnv);
      planned = new ResultPlanner(resultTypes).plan(types);
    } catch (RuntimeException | StackOverflowError e) {
      messager.printMessage(Diagnostic.Kind.ERROR, unexpectedFailure("this round", e));
      return true;
    }
    TypeValidator validator =
        new TypeValidator(
            planned, resultTypes, processingEnv.getElementUtils(), processingEnv.getTypeUtils());
    for (TypeElement type : types) {
      try {
        handle(type, validator.validate(type), roundEnv);
      } catch (RuntimeException | StackOverflowError e) {
        messager.printMessage(
            Diagnostic.Kind.ERROR, unexpectedFailure(type.getQualifiedName(), e), type);
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

  /**
   * Prints what validation found and generates what it allows: everything for a valid type; the
   * valid methods' result types for a type with errors; nothing yet for a type that waits for a
   * type another processor may generate (its result types would otherwise exist already when it is
   * validated again).
   */
  private void handle(
      TypeElement type, TypeValidator.TypeValidation validation, RoundEnvironment roundEnv) {
    ValidationReport report = validation.report();
    Messager messager = processingEnv.getMessager();
    if (report.hasErrors()) {
      report.printErrors(messager);
      if (!roundEnv.processingOver()) {
        validation.model().ifPresent(model -> write(model, false));
      }
    } else if (report.hasMissingTypes()) {
      if (roundEnv.processingOver()) {
        report.printMissingTypes(messager);
      } else {
        deferred.add(type.getQualifiedName().toString());
      }
    } else {
      validation.model().ifPresent(model -> write(model, true));
    }
  }

  /**
   * Writes the result type of every method of {@code type}, and its implementation if asked.
   * Every file is built before any is written, so a failure leaves none of them half written.
   */
  private void write(ConvergeType type, boolean withImplementation) {
    RaceResultWriter races = new RaceResultWriter(files);
    JoinResultWriter joins = new JoinResultWriter(files);
    List<JavaFile> generated = new ArrayList<>();
    for (CombinatorMethod method : type.methods()) {
      generated.add(method.rule().isRace() ? races.write(type, method) : joins.write(type, method));
    }
    if (withImplementation) {
      generated.add(new ImplementationWriter(files).write(type));
    }
    for (JavaFile file : generated) {
      try {
        GeneratedFiles.write(file, processingEnv.getFiler());
      } catch (IOException e) {
        processingEnv
            .getMessager()
            .printMessage(
                Diagnostic.Kind.ERROR,
                Message.WRITE_FAILED.format(
                    file.packageName() + "." + file.typeSpec().name(), describe(e)),
                type.element());
      }
    }
  }

  /** The report of a bug in Converge: one line, or with the stack trace under the debug option. */
  private String unexpectedFailure(CharSequence what, Throwable e) {
    String message = Message.UNEXPECTED_FAILURE.format(what, describe(e), DEBUG_OPTION);
    if (!debug) {
      return message;
    }
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return message + System.lineSeparator() + trace.toString().stripTrailing();
  }

  /** One line about a failure, without a stack trace. */
  private static String describe(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
