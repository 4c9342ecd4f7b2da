package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.converge.processor.Compilations.BODY;
import static dev.converge.processor.Compilations.compile;
import static dev.converge.processor.Compilations.lookups;
import static dev.converge.processor.Compilations.typeSource;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Errors about the parameters of {@code @Race}/{@code @Join} methods, each on its element. */
class ParameterErrorsTest {

  @Test
  void raceWithOneParameterIsAnError() {
    JavaFileObject source =
        lookups("  @Race", "  CompletableFuture<UserSource> user(CompletionStage<String> cache);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'user' needs at least 2 parameters;"
                + " add another future to race against")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void joinWithNoParametersIsAnError() {
    JavaFileObject source = lookups("  @Join", "  CompletableFuture<Nothing> nothing();");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "@Join method 'nothing' needs at least 2"
                + " parameters; add another future to join with")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void parameterThatIsNotAFutureIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race", "  CompletableFuture<R> r(CompletionStage<String> a,", "      String b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'b' of @Race method 'r' has type"
                + " java.lang.String, which Converge cannot start or await; declare it as"
                + " CompletionStage<T>, CompletableFuture<T>, Callable<T> or"
                + " Supplier<? extends CompletionStage<T>>")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void supplierOfSomethingElseIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Join",
            "  CompletableFuture<J> j(CompletionStage<String> a,",
            "      Supplier<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'b' of @Join method 'j' has type"
                + " java.util.function.Supplier<java.lang.String>, which Converge cannot start or await")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void rawParameterTypeIsAnError() {
    JavaFileObject source =
        lookups(
            "  @SuppressWarnings(\"rawtypes\")",
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage a,",
            "      CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'a' of @Race method 'r' uses the raw"
                + " type CompletionStage; give it type arguments, e.g. CompletionStage<User>")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void rawValueTypeIsAnError() {
    JavaFileObject source =
        lookups(
            "  @SuppressWarnings(\"rawtypes\")",
            "  @Join",
            "  CompletableFuture<J> j(CompletionStage<String> a,",
            "      Callable<List> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'b' of @Join method 'j' uses the raw"
                + " type List; give it type arguments, e.g. List<User>")
        .inFile(source)
        .onLine(BODY + 3);
  }

  @Test
  void supplierOfWildcardStageIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<R> r(Supplier<CompletionStage<? extends Number>> a,",
            "      CompletionStage<String> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'a' of @Race method 'r' supplies a"
                + " stage whose value type is the wildcard ? extends java.lang.Number; name the value type"
                + " exactly, e.g. Supplier<CompletionStage<Price>>")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void parametersGivingTheSameVariantNameAreAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> userId,",
            "      CompletionStage<String> UserId);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameters 'userId' and 'UserId' of @Race method"
                + " 'r' would both name the variant UserId; rename one of them")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void variantNamedLikeItsResultTypeIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<Source> r(CompletionStage<String> a,",
            "      CompletionStage<String> source);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'source' of @Race method 'r' would"
                + " name its variant Source, like the result type; rename the parameter or the result"
                + " type")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void variantNamedLikeATypeVariableIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  <T> CompletableFuture<Timed<T>> r(CompletionStage<T> t,",
            "      Callable<T> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 't' of @Race method 'r' would name its"
                + " variant T, like the method's type variable; rename the parameter or the type"
                + " variable")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void joinParameterNamedLikeAnObjectMethodIsAnError() {
    JavaFileObject source =
        lookups(
            "  @Join",
            "  CompletableFuture<J> j(CompletionStage<String> a,",
            "      CompletionStage<String> hashCode);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'hashCode' of @Join method 'j' cannot"
                + " name a record component because hashCode() is a method of java.lang.Object; rename"
                + " the parameter")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void keepOnAMethodWithoutRaceOrJoinIsAnError() {
    JavaFileObject source =
        typeSource(
            "test.Helper",
            "class Helper {",
            "  void help(",
            "      @Keep CompletionStage<String> stage) {}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "@Keep on parameter 'stage' of 'help' has no"
                + " effect because that method has neither @Race nor @Join; remove @Keep, or annotate the"
                + " method")
        .inFile(source)
        .onLine(BODY + 1);
  }

  @Test
  void parameterTypeThatNeverAppearsIsReportedOnTheLastRound() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> a,",
            "      CompletionStage<Missing> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(
            "parameter 'b' of @Race method 'r' has type"
                + " Missing, which does not exist; import or declare Missing")
        .inFile(source)
        .onLine(BODY + 2);
  }

  @Test
  void thrownTypeThatNeverAppearsIsReportedOnTheLastRound() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<R> r(CompletionStage<String> a, CompletionStage<String> b)",
            "      throws Missing;");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(
            "@Race method 'r' declares 'throws Missing', which"
                + " does not exist; import or declare Missing")
        .inFile(source)
        .onLine(BODY + 1);
  }
}
