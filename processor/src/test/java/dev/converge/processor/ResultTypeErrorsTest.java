package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.converge.processor.Compilations.BODY;
import static dev.converge.processor.Compilations.compile;
import static dev.converge.processor.Compilations.lookups;
import static dev.converge.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Errors about return types and the result type names they carry, reported on the method. */
class ResultTypeErrorsTest {

  @Test
  void rawFutureReturnTypeIsAnError() {
    JavaFileObject source =
        lookups(
            "  @SuppressWarnings(\"rawtypes\")",
            "  @Race",
            "  CompletableFuture user(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'user' returns the raw type"
                + " CompletableFuture; name the result type to generate, e.g."
                + " CompletableFuture<UserResult>")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void voidReturnTypeIsAnError() {
    JavaFileObject source =
        lookups("  @Join", "  void user(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "@Join method 'user' returns void; return"
                + " CompletableFuture<R> or CompletionStage<R>, or R itself in the blocking form, where R"
                + " is the name of the result type Converge generates, e.g. CompletableFuture<UserResult>")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void wildcardResultTypeIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<?> user(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'user' returns"
                + " java.util.concurrent.CompletableFuture<?>; return CompletableFuture<R>")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void blockingMethodWithoutInterruptedExceptionIsAnError() {
    JavaFileObject source =
        lookups("  @Race", "  Winner user(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "blocking @Race method 'user' must declare"
                + " 'throws InterruptedException' because waiting can be interrupted; add it, or return"
                + " CompletableFuture<Winner> instead")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void resultTypeThatAlreadyExistsIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<String> user(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "result type String of @Race method 'user'"
                + " already exists (java.lang.String); write the name of a new type for Converge to"
                + " generate, e.g. UserResult")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void resultTypeExistingInThePackageIsAnError() {
    JavaFileObject existing = source("test.Taken", "package test; class Taken {}");
    JavaFileObject source =
        lookups(
            "  @Join",
            "  CompletableFuture<Taken> user(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(existing, source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "result type Taken of @Join method 'user' already" + " exists (test.Taken)")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void twoMethodsNamingTheSameResultTypeIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<Same> first(CompletionStage<String> a, CompletionStage<String> b);",
            "  @Join",
            "  CompletableFuture<Same> second(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "result type Same of @Join method 'second' is also"
                + " the result type of @Race method 'first' of test.Lookups; give each method its own"
                + " result type name")
        .inFile(source)
        .onLine(BODY + 3);
  }

  @Test
  void resultTypeNamedLikeTheImplementationIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<ConvergeLookups> user(CompletionStage<String> a,",
            "      CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "result type ConvergeLookups of @Race method 'user'"
                + " is the name of the class Converge generates for the implementation of test.Lookups;"
                + " choose another name")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void qualifiedResultTypeNameIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<other.Thing> user(CompletionStage<String> a,",
            "      CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "result type other.Thing of @Race method 'user' is"
                + " not a valid simple type name; write a plain Java identifier such as UserResult")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void genericMethodWhoseResultTypeOmitsItsTypeVariablesIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  <T> CompletableFuture<Timed> timed(CompletionStage<T> a, Callable<T> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "result type Timed of @Race method 'timed' must"
                + " list exactly the method's type variables, in order; write Timed<T>")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void resultTypeArgumentsThatAreNotTheTypeVariablesAreAnError() {
    JavaFileObject source =
        lookups(
            "  @Join",
            "  <A, B> CompletableFuture<Pair<B, A>> pair(CompletionStage<A> a, Callable<B> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "result type Pair<B, A> of @Join method 'pair' must"
                + " list exactly the method's type variables, in order; write Pair<A, B>")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void typeVariableBoundedByTheResultTypeIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  <T extends Timed<T>> CompletableFuture<Timed<T>> timed(CompletionStage<T> a,",
            "      Callable<T> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(
            "type variable T of @Race method 'timed' has a"
                + " bound (Timed<T>) that the generated result type cannot carry; bound it by existing"
                + " types only")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void genericResultTypeWithoutTheTreeApiIsAClearErrorWhereJavacHidesIt() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  <T> CompletableFuture<Timed<T>> timed(CompletionStage<T> a, Callable<T> b);");
    Compilation compilation = javac().withProcessors(new ConvergeProcessor(false)).compile(source);
    if (!Compilations.javacHidesGenericErrorTypes()) {
      // Newer javac shows the text of Timed<T>, which is all the processor needs.
      assertThat(compilation).succeeded();
      assertThat(compilation)
          .generatedSourceFile("test.Timed")
          .contentsAsUtf8String()
          .contains("sealed interface Timed<T>");
      return;
    }
    // Converge's error on the method, and javac's "cannot find symbol" for Timed.
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "cannot read the generic result type of @Race"
                + " method 'timed': javac shows a not-yet-generated generic type only as <any>, and the"
                + " processing environment this build tool passes gives no access to javac's own"
                + " (com.sun.source.util.Trees); make the method non-generic, or compile with javac"
                + " directly or with Eclipse's compiler")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void plainResultTypeNeedsNoTreeApi() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<Winner> user(CompletionStage<String> a, CompletionStage<String> b);");
    Compilation compilation =
        javac()
            .withProcessors(new ConvergeProcessor(false))
            .withOptions("-Xlint:all")
            .compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.Winner");
  }
}
