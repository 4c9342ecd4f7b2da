package dev.converge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.Race;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Checks that each surefire execution runs the end-to-end tests against the compilation it names
 * (system property {@code converge.it.compilation}): the classes come from that compilation's
 * directory, and in the named-module run they live in module {@code shop}, beside the runtime's
 * module {@code dev.converge}.
 */
class CompilationUnderTestTest {
  private final String compilation = System.getProperty("converge.it.compilation", "javac");

  @Test
  void generatedClassesComeFromTheCompilationUnderTest() throws URISyntaxException {
    String expected = compilation.equals("javac") ? "classes" : compilation + "-classes";
    assertEquals(expected, directoryOf(ConvergeLookups.class));
    assertEquals(expected, directoryOf(UserSource.class));
    assertEquals(expected, directoryOf(Lookups.class));
  }

  @Test
  void onlyTheModuleRunIsInANamedModule() {
    Module generated = ConvergeLookups.class.getModule();
    if (compilation.equals("module")) {
      assertEquals("shop", generated.getName());
      assertEquals("dev.converge", Race.class.getModule().getName());
      assertTrue(generated.canRead(Race.class.getModule()));
      assertEquals(generated, Either.class.getModule());
    } else {
      assertFalse(generated.isNamed());
    }
  }

  private static String directoryOf(Class<?> type) throws URISyntaxException {
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    return location.getFileName().toString();
  }
}
