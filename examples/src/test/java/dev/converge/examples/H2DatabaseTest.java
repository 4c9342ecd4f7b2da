package dev.converge.examples;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatabaseContract} on H2, in files so that several pools share one database. */
class H2DatabaseTest extends DatabaseContract {

  @TempDir Path directory;

  private int databases;

  @Override
  String newDatabase() {
    return "jdbc:h2:file:" + directory.resolve("orders-" + ++databases).toAbsolutePath();
  }

  @Override
  String user() {
    return "sa";
  }

  @Override
  String password() {
    return "";
  }

  @Override
  SqlDialect expectedDialect() {
    return SqlDialect.H2;
  }
}
