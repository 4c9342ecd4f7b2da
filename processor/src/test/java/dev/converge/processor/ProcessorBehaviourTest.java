package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.converge.processor.Compilations.BODY;
import static dev.converge.processor.Compilations.compile;
import static dev.converge.processor.Compilations.lookups;
import static dev.converge.processor.Compilations.typeSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the processor behaves as a whole: rounds, planning, error recovery, warnings. */
class ProcessorBehaviourTest {

  @Test
  void everyErrorInOneSourceIsReportedAndValidTypesStillGenerate(@TempDir Path output)
      throws IOException {
    JavaFileObject broken = lookups(
        "  @Race",
        "  CompletableFuture<One> one(CompletionStage<String> only);",
        "  @Join",
        "  CompletableFuture<Two> two(CompletionStage<String> a,",
        "      String b);",
        "  @Race",
        "  Three three(CompletionStage<String> a, CompletionStage<String> b);",
        "  String name();");
    JavaFileObject finalClass = typeSource("test.Shop", "final class Shop {",
        "  @Race",
        "  CompletableFuture<Four> four(CompletionStage<String> a, CompletionStage<String> b) {",
        "    return null;",
        "  }");
    JavaFileObject valid = typeSource("test.Fine", "interface Fine {",
        "  @Race",
        "  CompletableFuture<Winner> win(CompletionStage<String> a, CompletionStage<Long> b);");
    Compilation compilation = compile(broken, finalClass, valid);

    assertThat(compilation).hadErrorContaining("@Race method 'one' needs at least 2 parameters")
        .inFile(broken).onLine(BODY + 1);
    assertThat(compilation).hadErrorContaining("parameter 'b' of @Join method 'two' has type"
        + " java.lang.String").inFile(broken).onLine(BODY + 4);
    assertThat(compilation).hadErrorContaining("blocking @Race method 'three' must declare"
        + " 'throws InterruptedException'").inFile(broken).onLine(BODY + 6);
    assertThat(compilation).hadErrorContaining("abstract method 'name' of test.Lookups has"
        + " neither @Race nor @Join").inFile(broken).onLine(BODY + 7);
    assertThat(compilation).hadErrorContaining("class test.Shop is final")
        .inFile(finalClass).onLine(7);

    // compile-testing hides the files of a failed compilation, so compile again into a directory.
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    JavaCompiler.CompilationTask task = compiler.getTask(null, null, diagnostic -> { },
        List.of("-s", output.toString(), "-d", output.toString(),
            "-classpath", System.getProperty("java.class.path")),
        null, List.of(broken, finalClass, valid));
    task.setProcessors(List.of(new ConvergeProcessor()));
    assertFalse(task.call());
    Set<String> generated;
    try (Stream<Path> files = Files.walk(output)) {
      generated = files.filter(file -> file.toString().endsWith(".java"))
          .map(file -> output.relativize(file).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
    }
    assertEquals(Set.of("test/Winner.java", "test/ConvergeFine.java"), generated,
        "the valid type generates its files; the invalid ones generate nothing");
  }

  @Test
  void validSourceCompilesWithoutWarningsUnderWerror() {
    JavaFileObject source = lookups(
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
    Compilation compilation = javac()
        .withProcessors(new ConvergeProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(source);
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void resultTypeOfOneMethodCanBeAValueTypeOfAnother() {
    JavaFileObject races = typeSource("test.Races", "interface Races {",
        "  @Race",
        "  CompletableFuture<UserSource> user(CompletionStage<String> cache,",
        "      CompletionStage<String> db);");
    JavaFileObject joins = typeSource("test.Joins", "interface Joins {",
        "  @Join",
        "  CompletableFuture<Both> both(CompletionStage<UserSource> user,",
        "      Callable<List<UserSource>> more);");
    Compilation compilation = compile(races, joins);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.Both")
        .contentsAsUtf8String().contains("record Both(UserSource user, List<UserSource> more)");
  }

  @Test
  void typeFromAnotherProcessorIsWaitedForUntilTheNextRound() {
    JavaFileObject source = lookups(
        "  @Race",
        "  CompletableFuture<Source> user(CompletionStage<Made> made,",
        "      CompletionStage<String> other);");
    Compilation compilation = javac()
        .withProcessors(new MakesAType(), new ConvergeProcessor())
        .withOptions("-Xlint:all")
        .compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.Source")
        .contentsAsUtf8String().contains("record Made(test.Made value) implements Source");
  }

  @Test
  void generatedFilesNameTheAnnotatedTypeAsTheirOnlyOriginatingElement() {
    JavaFileObject source = lookups(
        "  @Race",
        "  CompletableFuture<Source> user(CompletionStage<String> a, CompletionStage<Long> b);");
    Compilation compilation = compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertEquals(2, compilation.generatedSourceFiles().size());
  }

  @Test
  void supportsTheLatestSourceVersionAndClaimsConvergeAnnotations() {
    ConvergeProcessor processor = new ConvergeProcessor();
    assertEquals(SourceVersion.latestSupported(), processor.getSupportedSourceVersion());
    assertTrue(processor.getSupportedAnnotationTypes().containsAll(
        Set.of("dev.converge.Race", "dev.converge.Join", "dev.converge.Keep")));
  }

  /** Stands for another processor: generates {@code test.Made} in its first round. */
  private static final class MakesAType extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

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
