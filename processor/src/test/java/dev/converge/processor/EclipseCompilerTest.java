package dev.converge.processor;

import static dev.converge.processor.Compilations.BODY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor under Eclipse's compiler, as the Eclipse IDE and VS Code run it. ecj hands over a
 * return type whose argument does not exist yet as one error type for the whole
 * {@code CompletableFuture<X>}; the processor reads the form and the result type from its text.
 * (compile-testing's in-memory files are not readable by ecj, so these compile from a directory.)
 */
class EclipseCompilerTest {
  @TempDir Path directory;

  private final List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();

  /** Compiles {@code test.Lookups} with {@code body}; returns whether ecj succeeded. */
  private boolean compile(String... body) throws IOException {
    Path source = directory.resolve("src/test/Lookups.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, Compilations.lookups(body).getCharContent(true));
    Path output = Files.createDirectories(directory.resolve("out"));
    Files.createDirectories(directory.resolve("generated"));
    JavaCompiler ecj = new EclipseCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = ecj.getStandardFileManager(null, Locale.ROOT, null)) {
      files.setLocation(
          StandardLocation.CLASS_PATH,
          Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
              .map(File::new)
              .collect(Collectors.toList()));
      // ecj prints its diagnostics besides reporting them; they are read from the collector.
      boolean ok =
          ecj.getTask(
                  new PrintWriter(Writer.nullWriter()),
                  files,
                  diagnostics,
                  List.of(
                      "--release",
                      "17",
                      "-d",
                      output.toString(),
                      "-s",
                      directory.resolve("generated").toString()),
                  null,
                  files.getJavaFileObjects(source.toFile()))
              .call();
      diagnostics.getDiagnostics().stream()
          .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
          .forEach(errors::add);
      return ok;
    }
  }

  private String generated(String simpleName) throws IOException {
    return Files.readString(directory.resolve("generated/test/" + simpleName + ".java"));
  }

  private String errorMessages() {
    return errors.stream()
        .map(error -> error.getLineNumber() + ": " + error.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void readsEveryReturnFormAndGenericResultTypes() throws IOException {
    boolean ok =
        compile(
            "  @Race",
            "  CompletableFuture<UserSource> user(CompletionStage<String> cache,",
            "      @Keep CompletionStage<Integer> db);",
            "  @Join(Join.Mode.SETTLE_ALL)",
            "  CompletionStage<Settled> settle(CompletionStage<String> a, Callable<Long> b);",
            "  @Race",
            "  <T> CompletableFuture<Either<T>> either(CompletionStage<T> first,",
            "      CompletionStage<T> second);",
            "  @Join",
            "  <K, V> Pair<K, V> pair(CompletionStage<K> key, Callable<V> value)",
            "      throws InterruptedException;");
    assertTrue(ok, errorMessages());
    assertTrue(generated("Either").contains("sealed interface Either<T>"));
    assertTrue(generated("Pair").contains("record Pair<K, V>(K key, V value)"));
    assertTrue(
        generated("ConvergeLookups").contains("public CompletionStage<Settled> settle("),
        generated("ConvergeLookups"));
  }

  @Test
  void resultTypeArgumentsMustBeTheTypeVariables() throws IOException {
    compile(
        "  @Race",
        "  <T> CompletableFuture<Either<String>> either(CompletionStage<T> first,",
        "      CompletionStage<T> second);");
    assertTrue(
        errors.stream()
            .anyMatch(
                error ->
                    error.getLineNumber() == BODY + 1
                        && error
                            .getMessage(Locale.ROOT)
                            .contains(
                                "of @Race method 'either' must list exactly"
                                    + " the method's type variables, in order; write Either<T>")),
        errorMessages());
  }

  @Test
  void oneBadMethodCostsItsOwnErrorsOnly() throws IOException {
    compile(
        "  @Race",
        "  CompletableFuture<Winner> user(CompletionStage<String> a, CompletionStage<String> b);",
        "  @Race",
        "  CompletableFuture<Loser> lonely(CompletionStage<String> only);");
    // Converge's error, and ecj's "Loser cannot be resolved to a type"; nothing about the
    // asynchronous method being blocking, and Winner is generated.
    assertEquals(2, errors.size(), errorMessages());
    assertTrue(
        errors.stream()
            .anyMatch(
                error ->
                    error.getLineNumber() == BODY + 3
                        && error
                            .getMessage(Locale.ROOT)
                            .contains("@Race method 'lonely' needs at least 2" + " parameters")),
        errorMessages());
    assertTrue(generated("Winner").contains("sealed interface Winner"));
  }

  @Test
  void aResultTypeOfOneMethodCanBeAValueTypeOfAnother() throws IOException {
    boolean ok =
        compile(
            "  @Race",
            "  CompletableFuture<UserSource> user(CompletionStage<String> cache,",
            "      CompletionStage<Integer> db);",
            "  @Join",
            "  CompletableFuture<Both> both(CompletionStage<UserSource> user,",
            "      Supplier<CompletionStage<List<UserSource>>> more, Callable<String[]> names);");
    assertTrue(ok, errorMessages());
    assertTrue(
        generated("Both")
            .contains("record Both(UserSource user, List<UserSource> more, String[] names)"),
        generated("Both"));
  }
}
