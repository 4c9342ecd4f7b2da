package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.converge.processor.Compilations.BODY;
import static dev.converge.processor.Compilations.compile;
import static dev.converge.processor.Compilations.generatedFiles;
import static dev.converge.processor.Compilations.lookups;
import static dev.converge.processor.Compilations.typeSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Set;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the processor behaves as a whole: rounds, planning, error recovery, warnings. */
class ProcessorBehaviourTest {

  @Test
  void everyErrorInOneSourceIsReportedAndValidTypesStillGenerate(@TempDir Path output)
      throws IOException {
    JavaFileObject broken =
        lookups(
            "  @Race",
            "  CompletableFuture<One> one(CompletionStage<String> only);",
            "  @Join",
            "  CompletableFuture<Two> two(CompletionStage<String> a,",
            "      String b);",
            "  @Race",
            "  Three three(CompletionStage<String> a, CompletionStage<String> b);",
            "  String name();");
    JavaFileObject finalClass =
        typeSource(
            "test.Shop",
            "final class Shop {",
            "  @Race",
            "  CompletableFuture<Four> four(CompletionStage<String> a, CompletionStage<String> b) {",
            "    return null;",
            "  }");
    JavaFileObject valid =
        typeSource(
            "test.Fine",
            "interface Fine {",
            "  @Race",
            "  CompletableFuture<Winner> win(CompletionStage<String> a, CompletionStage<Long> b);");
    Compilation compilation = compile(broken, finalClass, valid);
    // Six of Converge's, one per mistake, and javac's "cannot find symbol" for the result types
    // One, Two, Three and Four, whose methods Converge rejects.
    assertThat(compilation).hadErrorCount(10);

    assertThat(compilation)
        .hadErrorContaining("@Race method 'one' needs at least 2 parameters")
        .inFile(broken)
        .onLine(BODY + 1);
    assertThat(compilation)
        .hadErrorContaining("parameter 'b' of @Join method 'two' has type" + " java.lang.String")
        .inFile(broken)
        .onLine(BODY + 4);
    assertThat(compilation)
        .hadErrorContaining(
            "blocking @Race method 'three' must declare" + " 'throws InterruptedException'")
        .inFile(broken)
        .onLine(BODY + 6);
    assertThat(compilation)
        .hadErrorContaining(
            "abstract method 'name' of test.Lookups has" + " neither @Race nor @Join")
        .inFile(broken)
        .onLine(BODY + 7);
    assertThat(compilation)
        .hadErrorContaining("class test.Shop is final")
        .inFile(finalClass)
        .onLine(7);

    Set<String> generated = generatedFiles(output, broken, finalClass, valid);
    assertEquals(
        Set.of("test/Winner.java", "test/ConvergeFine.java"),
        generated,
        "the valid type generates its files; the invalid ones generate nothing");
  }

  @Test
  void oneBadMethodCostsOneErrorAndTheOthersStillGenerateTheirResultTypes(@TempDir Path output)
      throws IOException {
    JavaFileObject lookups =
        lookups(
            "  @Race",
            "  CompletableFuture<UserSource> user(CompletionStage<String> cache,",
            "      CompletionStage<Integer> db);",
            "  @Race",
            "  CompletableFuture<String> bad(CompletionStage<String> a, CompletionStage<String> b);",
            "  @Join",
            "  Profile profile(CompletionStage<String> name, Callable<Long> age)",
            "      throws InterruptedException;");
    JavaFileObject uses =
        typeSource(
            "test.Uses",
            "final class Uses {",
            "  static String describe(UserSource source, Profile profile) {",
            "    return source.fold(cache -> cache, db -> db.toString()) + profile.name();",
            "  }");
    Compilation compilation = compile(lookups, uses);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("result type String of @Race method 'bad' already" + " exists")
        .inFile(lookups)
        .onLine(BODY + 4);

    assertEquals(
        Set.of("test/UserSource.java", "test/Profile.java"),
        generatedFiles(output, lookups, uses),
        "the valid methods' result types exist; only the implementation waits for a valid type");
  }

  @Test
  void aBadMethodWhoseResultTypeCannotBeGeneratedCostsItsErrorAndThatName() {
    JavaFileObject lookups =
        lookups(
            "  @Race",
            "  CompletableFuture<UserSource> user(CompletionStage<String> cache,",
            "      CompletionStage<Integer> db);",
            "  @Race",
            "  CompletableFuture<Lonely> lonely(CompletionStage<String> only);");
    JavaFileObject uses =
        typeSource(
            "test.Uses",
            "final class Uses {",
            "  static Object describe(UserSource source) {",
            "    return source.value();",
            "  }");
    Compilation compilation = compile(lookups, uses);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("@Race method 'lonely' needs at least 2 parameters")
        .inFile(lookups)
        .onLine(BODY + 4);
    assertThat(compilation)
        .hadErrorContaining("cannot find symbol")
        .inFile(lookups)
        .onLine(BODY + 4);
  }

  @Test
  void validSourceCompilesWithoutWarningsUnderWerror() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<Source> user(CompletionStage<String> cache,",
            "      @Keep CompletableFuture<Integer> db, Callable<int[]> disk,",
            "      Supplier<? extends CompletionStage<List<String>>> remote);",
            "  @Join(Join.Mode.SETTLE_ALL)",
            "  CompletionStage<Settled> settle(CompletionStage<? super Integer> a,",
            "      Callable<? extends Number> b, CompletionStage<?> c);",
            "  @Race(Race.Mode.FIRST_SUCCESS)",
            "  <K extends Comparable<K>, V> Entry<K, V> entry(CompletionStage<Map<K, V>> map,",
            "      Callable<K> key, Supplier<CompletableFuture<V>> value)",
            "      throws InterruptedException, java.io.IOException, Exception;");
    Compilation compilation =
        javac()
            .withProcessors(new ConvergeProcessor())
            .withOptions("-Xlint:all", "-Werror")
            .compile(source);
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void resultTypeOfOneMethodCanBeAValueTypeOfAnother() {
    JavaFileObject races =
        typeSource(
            "test.Races",
            "interface Races {",
            "  @Race",
            "  CompletableFuture<UserSource> user(CompletionStage<String> cache,",
            "      CompletionStage<String> db);");
    JavaFileObject joins =
        typeSource(
            "test.Joins",
            "interface Joins {",
            "  @Join",
            "  CompletableFuture<Both> both(CompletionStage<UserSource> user,",
            "      Callable<List<UserSource>> more);");
    Compilation compilation = compile(races, joins);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Both")
        .contentsAsUtf8String()
        .contains("record Both(UserSource user, List<UserSource> more)");
  }

  @Test
  void typeFromAnotherProcessorIsWaitedForUntilTheNextRound() {
    JavaFileObject source =
        lookups(
            "  @Race",
            "  CompletableFuture<Source> user(CompletionStage<Made> made,",
            "      CompletionStage<String> other);");
    Compilation compilation =
        javac()
            .withProcessors(new MakesAType(), new ConvergeProcessor())
            .withOptions("-Xlint:all")
            .compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Source")
        .contentsAsUtf8String()
        .contains("record Made(test.Made value) implements Source");
  }

  @Test
  void supportsTheLatestSourceVersionAndClaimsConvergeAnnotations() {
    ConvergeProcessor processor = new ConvergeProcessor();
    assertEquals(SourceVersion.latestSupported(), processor.getSupportedSourceVersion());
    assertTrue(
        processor
            .getSupportedAnnotationTypes()
            .containsAll(Set.of("dev.converge.Race", "dev.converge.Join", "dev.converge.Keep")));
  }

  /** Stands for another processor: generates {@code test.Made} in its first round. */
  private static final class MakesAType extends Compilations.SeesEveryRound {
    private boolean done;

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      if (done) {
        return false;
      }
      done = true;
      try (Writer writer = processingEnv.getFiler().createSourceFile("test.Made").openWriter()) {
        writer.write("package test;\npublic final class Made {}\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return false;
    }
  }
}
