package dev.converge.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;

/** Compiles test sources with the Converge processor. */
final class Compilations {
  private Compilations() {}

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
    StringBuilder text = new StringBuilder()
        .append("package test;\n")
        .append("import dev.converge.*;\n")
        .append("import java.util.*;\n")
        .append("import java.util.concurrent.*;\n")
        .append("import java.util.function.*;\n")
        .append("\n")
        .append(declaration).append('\n');
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
