package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.converge.processor.Compilations.BODY;
import static dev.converge.processor.Compilations.compile;
import static dev.converge.processor.Compilations.lookups;
import static dev.converge.processor.Compilations.source;
import static dev.converge.processor.Compilations.typeSource;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Errors about annotated methods that Converge cannot implement, reported on the method. */
class MethodErrorsTest {

  @Test
  void equalsTakingAMissingTypeIsNotObjectsEquals() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);",
            "  boolean equals(Missing other);");
    Compilation compilation = compile(source);
    // Converge's error on equals, and javac's "cannot find symbol" for Missing.
    assertThat(compilation)
        .hadErrorContaining(
            "abstract method 'equals' of test.Lookups has" + " neither @Race nor @Join")
        .inFile(source)
        .onLine(BODY + 2);
    assertThat(compilation).hadErrorCount(2);
  }

  @Test
  void staticMethodIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  static CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'r' is static; make it an abstract"
                + " instance method so Converge can implement it")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void defaultMethodIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Join",
            "  default CompletableFuture<J> j(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Join method 'j' is a default method; remove"
                + " 'default' and the body so Converge can implement it")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void privateMethodIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  private CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'r' is private; make it an abstract"
                + " method that is not private so Converge can implement it")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void methodWithABodyIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Shop",
            "abstract class Shop {",
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'r' has a body; declare it abstract" + " so Converge can implement it")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void raceAndJoinOnOneMethodIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  @Join",
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "method 'r' carries both @Race and @Join; keep the"
                + " one that says what it should do")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void abstractMethodWithoutAnnotationIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);",
            "  String name();");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "abstract method 'name' of test.Lookups has"
                + " neither @Race nor @Join, so Converge cannot implement it; annotate it, or give it a"
                + " body")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void inheritedAbstractMethodIsAnError() {
    JavaFileObject base =
        source("test.Base", "package test;\ninterface Base {\n  String name();\n}\n");
    JavaFileObject source =
        typeSource(
            "test.Lookups",
            "interface Lookups extends Base {",
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(base, source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "test.Lookups inherits abstract method 'name' from"
                + " test.Base, which Converge cannot implement; redeclare it in Lookups with @Race or"
                + " @Join, or implement it")
        .inFile(source)
        .onLine(7);
  }

  @Test
  void redeclaredObjectMethodsAndImplementedInterfaceMethodsAreFine() {
    JavaFileObject named =
        source("test.Named", "package test;\ninterface Named {\n  String name();\n}\n");
    JavaFileObject shop =
        typeSource(
            "test.Shop",
            "abstract class Shop implements Named {",
            "  @Override public String name() { return \"shop\"; }",
            "  @Race",
            "  abstract CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);");
    JavaFileObject lookups =
        lookups(
            "  @Override boolean equals(Object other);",
            "  @Override String toString();",
            "  @Join",
            "  CompletableFuture<J> j(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(named, shop, lookups);
    assertThat(compilation).succeededWithoutWarnings();
  }
}
