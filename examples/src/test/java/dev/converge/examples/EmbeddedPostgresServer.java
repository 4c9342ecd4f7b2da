package dev.converge.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server, downloaded from Maven Central (io.zonky.test) and started in a temporary
 * directory; each test takes a fresh, empty database of its own on it.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server on a free port.
   *
   * @return the server
   * @throws IOException if it cannot start
   */
  static EmbeddedPostgresServer start() throws IOException {
    return new EmbeddedPostgresServer(EmbeddedPostgres.start());
  }

  /**
   * Creates an empty database.
   *
   * @return its JDBC URL; user and password are {@link #USER} and {@link #PASSWORD}
   * @throws SQLException if the server refuses
   */
  String newDatabase() throws SQLException {
    String name = "orders_" + DATABASES.incrementAndGet();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl(USER, name);
  }

  /** The superuser the server starts with. */
  static final String USER = "postgres";

  /** Its password: the embedded server trusts local connections. */
  static final String PASSWORD = "postgres";

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
