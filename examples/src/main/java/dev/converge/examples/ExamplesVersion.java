package dev.converge.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: the examples' version, which Maven writes into
 * {@code version.properties} at build time, and the Java running them.
 */
final class ExamplesVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
      "Converge examples " + examplesVersion(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }

  private static String examplesVersion() {
    try (InputStream in = ExamplesVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        // Compiled without Maven's resource step (an IDE's own build, say).
        return "(version unknown)";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "(version unknown)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read version.properties", e);
    }
  }
}
