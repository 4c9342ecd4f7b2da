package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.converge.processor.Compilations.BODY;
import static dev.converge.processor.Compilations.compile;
import static dev.converge.processor.Compilations.source;
import static dev.converge.processor.Compilations.typeSource;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Errors about the annotated type itself, reported on the type (line 7 of each source). */
class TypeErrorsTest {
  private static final String RACE = "  @Race";
  private static final String METHOD =
      "  abstract CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);";
  private static final int DECLARATION = 7;

  @Test
  void methodOfAnEnumIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Mode",
            "enum Mode {",
            "  ON;",
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'r' is declared in enum Mode;"
                + " declare it in an interface or an abstract class")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void concreteClassIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Shop",
            "class Shop {",
            RACE,
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(
            "class test.Shop has @Race or @Join methods but is"
                + " not abstract; make it abstract, or an interface, so Converge can implement it")
        .inFile(source)
        .onLine(DECLARATION);
  }

  @Test
  void finalClassIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Shop",
            "final class Shop {",
            RACE,
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(
            "class test.Shop is final, so Converge cannot"
                + " extend it; remove 'final' and make it abstract")
        .inFile(source)
        .onLine(DECLARATION);
  }

  @Test
  void sealedInterfaceIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Lookups",
            "sealed interface Lookups permits Other {",
            RACE,
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);");
    JavaFileObject other =
        source("test.Other", "package test; non-sealed interface Other" + " extends Lookups {}");
    Compilation compilation = compile(source, other);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "test.Lookups is sealed, so the generated"
                + " ConvergeLookups cannot implement it; remove 'sealed'")
        .inFile(source)
        .onLine(DECLARATION);
  }

  @Test
  void classWithoutAccessibleNoArgumentConstructorIsAnError() {
    JavaFileObject source =
        typeSource("test.Shop", "abstract class Shop {", "  Shop(String name) {}", RACE, METHOD);
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "class test.Shop has no accessible no-argument"
                + " constructor for the generated ConvergeShop to call; add one that is not private")
        .inFile(source)
        .onLine(DECLARATION);
  }

  @Test
  void innerClassIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Outer",
            "class Outer {",
            "  abstract class Shop {",
            "    @Race",
            "    abstract CompletableFuture<R> r(CompletionStage<String> a,",
            "        CompletionStage<String> b);",
            "  }");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "test.Outer.Shop is an inner class, so a top-level"
                + " class cannot extend it; make it static")
        .inFile(source)
        .onLine(BODY);
  }

  @Test
  void privateNestedTypeIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Outer",
            "class Outer {",
            "  private interface Lookups {",
            "    @Race",
            "    CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<Secret> b);",
            "  }",
            "  private static final class Secret {}");
    Compilation compilation = compile(source);
    // Converge's error, and javac's "cannot find symbol" for R: a result type generated at the
    // top level could not name Secret, so a private type generates nothing.
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "test.Outer.Lookups is private or nested in a"
                + " private type, so the generated ConvergeOuter_Lookups cannot see it; make it"
                + " package-private or public")
        .inFile(source)
        .onLine(BODY);
  }

  @Test
  void genericTypeIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Lookups",
            "interface Lookups<T> {",
            RACE,
            "  CompletableFuture<R> r(CompletionStage<T> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "test.Lookups declares type parameters, which the"
                + " generated ConvergeLookups cannot choose; move the type variables to the methods")
        .inFile(source)
        .onLine(DECLARATION);
  }

  @Test
  void existingTypeNamedLikeTheImplementationIsAnError() {
    JavaFileObject taken = source("test.ConvergeLookups", "package test; class ConvergeLookups {}");
    JavaFileObject source =
        typeSource(
            "test.Lookups",
            "interface Lookups {",
            RACE,
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(taken, source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "Converge generates test.ConvergeLookups for"
                + " test.Lookups, but a type with that name already exists; rename that type")
        .inFile(source)
        .onLine(DECLARATION);
  }
}
