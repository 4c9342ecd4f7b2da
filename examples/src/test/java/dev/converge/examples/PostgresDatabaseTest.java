package dev.converge.examples;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link DatabaseContract} on a real PostgreSQL, one server for the class. */
class PostgresDatabaseTest extends DatabaseContract {

  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startPostgres() throws IOException {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    server.close();
  }

  @Override
  String newDatabase() throws SQLException {
    return server.newDatabase();
  }

  @Override
  String user() {
    return EmbeddedPostgresServer.USER;
  }

  @Override
  String password() {
    return EmbeddedPostgresServer.PASSWORD;
  }

  @Override
  SqlDialect expectedDialect() {
    return SqlDialect.POSTGRESQL;
  }
}
