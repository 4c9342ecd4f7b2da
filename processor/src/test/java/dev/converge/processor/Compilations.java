package dev.converge.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.ElementFilter;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles test sources with the Converge processor.
 *
 * <p>Error tests assert the exact error count. A method Converge rejects gets no result type, so
 * besides Converge's error javac reports "cannot find symbol" where that name is used: a typical
 * count is 2 for one bad method, never more for the valid methods around it.
 */
final class Compilations {
  private Compilations() {}

  /** A processor that sees every round, standing for another processor or probing javac. */
  abstract static class SeesEveryRound extends AbstractProcessor {
    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }
  }

  /** A source file named after its type: {@code source("test.Lookups", "package test; …")}. */
  static JavaFileObject source(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }

  /** Compiles with the processor and {@code -Xlint:all}, so warnings in generated code show. */
  static Compilation compile(JavaFileObject... sources) {
    return compile(List.of(sources));
  }

  static Compilation compile(List<JavaFileObject> sources) {
    return javac()
        .withProcessors(new ConvergeProcessor())
        .withOptions("-Xlint:all")
        .compile(sources);
  }

  /**
   * Compiles with the processor into {@code output} and returns the generated source files, relative
   * to it: compile-testing hides the files of a failed compilation.
   */
  static Set<String> generatedFiles(Path output, JavaFileObject... sources) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    JavaCompiler.CompilationTask task =
        compiler.getTask(
            null,
            null,
            diagnostic -> {},
            List.of(
                "-s",
                output.toString(),
                "-d",
                output.toString(),
                "-classpath",
                System.getProperty("java.class.path")),
            null,
            List.of(sources));
    task.setProcessors(List.of(new ConvergeProcessor()));
    task.call();
    try (Stream<Path> files = Files.walk(output)) {
      return files
          .filter(file -> file.toString().endsWith(".java"))
          .map(file -> output.relativize(file).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
    }
  }

  private static Boolean hidesGenericErrorTypes;

  /**
   * Tells whether this JDK's javac shows a not-yet-generated generic type such as {@code Nope<T>}
   * only as {@code <any>} (javac 17 does; newer ones give its text), which is when a generic result
   * type needs javac's tree API.
   */
  static synchronized boolean javacHidesGenericErrorTypes() {
    if (hidesGenericErrorTypes == null) {
      List<String> seen = new ArrayList<>();
      javac()
          .withProcessors(
              new SeesEveryRound() {
                @Override
                public boolean process(
                    Set<? extends TypeElement> annotations, RoundEnvironment round) {
                  for (Element type : round.getRootElements()) {
                    for (ExecutableElement method :
                        ElementFilter.methodsIn(type.getEnclosedElements())) {
                      DeclaredType returned = (DeclaredType) method.getReturnType();
                      seen.add(returned.getTypeArguments().get(0).toString());
                    }
                  }
                  return false;
                }
              })
          .compile(
              source(
                  "probe.Probe",
                  "package probe; interface Probe {"
                      + " java.util.concurrent.CompletableFuture<Nope<String>> m(); }"));
      hidesGenericErrorTypes = seen.contains("<any>");
    }
    return hidesGenericErrorTypes;
  }

  /** The error messages of a compilation, one per line, for assertion failure output. */
  static String errors(Compilation compilation) {
    return compilation.errors().stream()
        .map(error -> error.getLineNumber() + ": " + error.getMessage(null))
        .collect(Collectors.joining("\n"));
  }

  /** The first line of the body passed to {@link #lookups}. */
  static final int BODY = 8;

  /**
   * Source of {@code test.Lookups}: a header importing everything the tests use, then
   * {@code interface Lookups} with {@code body}, whose first line is line {@link #BODY}.
   */
  static JavaFileObject lookups(String... body) {
    return typeSource("test.Lookups", "interface Lookups {", body);
  }

  /**
   * Source of {@code qualifiedName} (in package {@code test}), declared by {@code declaration} on
   * line 7 with {@code body} from line {@link #BODY}.
   */
  static JavaFileObject typeSource(String qualifiedName, String declaration, String... body) {
    StringBuilder text =
        new StringBuilder()
            .append("package test;\n")
            .append("import dev.converge.*;\n")
            .append("import java.util.*;\n")
            .append("import java.util.concurrent.*;\n")
            .append("import java.util.function.*;\n")
            .append("\n")
            .append(declaration)
            .append('\n');
    for (String line : body) {
      text.append(line).append('\n');
    }
    text.append("}\n");
    return source(qualifiedName, text.toString());
  }

  /** Joins lines into a source text; line n of the result is the n-th argument. */
  static String lines(String... lines) {
    return Arrays.stream(lines).collect(Collectors.joining("\n", "", "\n"));
  }
}
