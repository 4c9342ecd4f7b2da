package dev.converge.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of JDBC connections, all opened up front so that an unreachable database is found at
 * start-up rather than at the first batch. Enough for this service, whose lookups and writes run on
 * a thread pool of the same size; a real service would use its usual pool (HikariCP, Agroal, …).
 *
 * <p>Thread-safe. A connection is used by one thread at a time: {@link #withConnection} takes it
 * from the pool and puts it back when the work is done.
 */
final class ConnectionPool implements AutoCloseable {

  /** Work done with a borrowed connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private final List<Connection> all;
  private final BlockingQueue<Connection> idle;

  private ConnectionPool(List<Connection> all) {
    this.all = all;
    this.idle = new ArrayBlockingQueue<>(all.size(), false, all);
  }

  /**
   * Opens {@code size} connections.
   *
   * @param url the JDBC URL
   * @param user the user
   * @param password the password
   * @param size how many connections
   * @return the pool
   * @throws SQLException if the database cannot be reached; connections opened so far are closed
   */
  static ConnectionPool open(String url, String user, String password, int size)
      throws SQLException {
    List<Connection> opened = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        opened.add(DriverManager.getConnection(url, user, password));
      }
    } catch (SQLException e) {
      closeAll(opened, e);
      throw e;
    }
    return new ConnectionPool(List.copyOf(opened));
  }

  /**
   * Runs work with a connection of the pool, waiting for one to be free.
   *
   * @param work what to do; it must leave the connection in auto-commit mode
   * @param <T> what the work returns
   * @return what the work returned
   * @throws SQLException if the work failed
   * @throws InterruptedException if interrupted while waiting for a connection
   */
  <T> T withConnection(SqlWork<T> work) throws SQLException, InterruptedException {
    Connection connection = idle.take();
    try {
      return work.run(connection);
    } finally {
      idle.add(connection);
    }
  }

  /** Closes every connection; for an in-memory H2 database this drops the database. */
  @Override
  public void close() {
    closeAll(all, null);
  }

  private static void closeAll(List<Connection> connections, SQLException primary) {
    for (Connection connection : connections) {
      try {
        connection.close();
      } catch (SQLException e) {
        if (primary != null) {
          primary.addSuppressed(e);
        }
      }
    }
  }
}
