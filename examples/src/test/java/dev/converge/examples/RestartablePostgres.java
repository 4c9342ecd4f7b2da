package dev.converge.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL (io.zonky.test) that a test can stop and start again, as an operator restarts
 * one: the same data directory, so the data survives, and the same port, so clients find it again
 * at the same URL. Stopping is PostgreSQL's fast shutdown: sessions are ended with SQLState 57P01
 * ("terminating connection due to administrator command") and new connections are refused.
 *
 * <p>Not thread-safe: one test thread starts and stops it.
 */
final class RestartablePostgres implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres postgres;

  private RestartablePostgres(Path dataDirectory, EmbeddedPostgres postgres) {
    this.dataDirectory = dataDirectory;
    this.port = postgres.getPort();
    this.postgres = postgres;
  }

  /**
   * Creates a database cluster in {@code dataDirectory} and starts it on a free port.
   *
   * @param dataDirectory an empty directory; it holds the data from one start to the next
   * @return the running server
   * @throws IOException if it cannot start
   */
  static RestartablePostgres start(Path dataDirectory) throws IOException {
    return new RestartablePostgres(
        dataDirectory,
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .start());
  }

  /**
   * Creates an empty database.
   *
   * @return its JDBC URL; user and password are {@link EmbeddedPostgresServer#USER} and
   *     {@link EmbeddedPostgresServer#PASSWORD}
   * @throws SQLException if the server refuses
   */
  String newDatabase() throws SQLException {
    String name = "outage_" + DATABASES.incrementAndGet();
    try (Connection connection = running().getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return running().getJdbcUrl(EmbeddedPostgresServer.USER, name);
  }

  /**
   * Stops the server (fast shutdown), keeping its data.
   *
   * @throws IOException if it cannot be stopped
   */
  void stop() throws IOException {
    EmbeddedPostgres stopping = running();
    postgres = null;
    stopping.close();
  }

  /**
   * Starts the server again, on its data directory and port.
   *
   * @throws IOException if it cannot start
   * @throws IllegalStateException if it is running
   */
  void restart() throws IOException {
    if (postgres != null) {
      throw new IllegalStateException("PostgreSQL is running");
    }
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setPort(port)
            .start();
  }

  /**
   * Tells whether the server is running.
   *
   * @return true between a start and a stop
   */
  boolean isRunning() {
    return postgres != null;
  }

  private EmbeddedPostgres running() {
    if (postgres == null) {
      throw new IllegalStateException("PostgreSQL is stopped");
    }
    return postgres;
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) {
      stop();
    }
  }
}
