package dev.converge.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Compares generated code with the checked-in golden files under {@code golden/<case>/}, exactly,
 * so a reviewer sees every change to the output as a diff. The inputs are under
 * {@code sources/<case>/}.
 *
 * <p>To accept a deliberate change, run the tests with {@code -Dconverge.updateGolden=true}, which
 * rewrites the golden files in {@code src/test/resources}, and review the diff.
 */
class GoldenFilesTest {

  @Test
  void raceInterfaceGeneratesSealedResultsAndImplementation() {
    assertMatchesGolden("race");
  }

  @Test
  void joinInterfaceGeneratesRecordsAndImplementation() {
    assertMatchesGolden("join");
  }

  @Test
  void genericMethodGeneratesGenericResultType() {
    assertMatchesGolden("generic");
  }

  @Test
  void nestedInterfaceGeneratesConvergeOuterInner() {
    assertMatchesGolden("nested");
  }

  private static void assertMatchesGolden(String name) {
    List<JavaFileObject> inputs =
        javaFiles(resourceDirectory("sources/" + name)).stream()
            .map(JavaFileObjects::forResource)
            .collect(Collectors.toList());
    Compilation compilation = Compilations.compile(inputs);
    assertThat(compilation).succeededWithoutWarnings();

    Map<String, String> generated = new TreeMap<>();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      generated.put(relativePath(file), contents(file));
    }
    if (Boolean.getBoolean("converge.updateGolden")) {
      writeGolden(name, generated);
      return;
    }
    Path golden = resourceDirectory("golden/" + name);
    Map<String, String> expected = new TreeMap<>();
    for (URL file : javaFiles(golden)) {
      expected.put(golden.relativize(path(file)).toString().replace('\\', '/'), read(path(file)));
    }
    assertEquals(expected.keySet(), generated.keySet(), "generated files");
    for (Map.Entry<String, String> file : expected.entrySet()) {
      assertEquals(file.getValue(), generated.get(file.getKey()), file.getKey());
    }
  }

  /** {@code shop/UserSource.java}, from the generated file's URI. */
  private static String relativePath(JavaFileObject file) {
    String uri = file.toUri().getPath();
    int start = uri.indexOf("SOURCE_OUTPUT/");
    return start < 0 ? uri : uri.substring(start + "SOURCE_OUTPUT/".length());
  }

  private static void writeGolden(String name, Map<String, String> generated) {
    Path directory = Paths.get("src/test/resources/golden", name);
    try {
      if (Files.exists(directory)) {
        try (Stream<Path> old = Files.walk(directory)) {
          for (Path file : old.filter(Files::isRegularFile).collect(Collectors.toList())) {
            Files.delete(file);
          }
        }
      }
      for (Map.Entry<String, String> file : generated.entrySet()) {
        Path target = directory.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path resourceDirectory(String name) {
    URL url = GoldenFilesTest.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("missing test resource directory " + name);
    }
    return path(url);
  }

  private static List<URL> javaFiles(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(file -> file.toString().endsWith(".java"))
          .sorted()
          .map(GoldenFilesTest::url)
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static URL url(Path path) {
    try {
      return path.toUri().toURL();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path path(URL url) {
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contents(JavaFileObject file) {
    try {
      return file.getCharContent(false).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
