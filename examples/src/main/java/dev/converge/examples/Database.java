package dev.converge.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The service's database: a HikariCP pool behind a {@link DataSource}, and the {@link SqlDialect}
 * of what it connects to. Opening it connects at once, so an unreachable database is found at
 * start-up rather than at the first batch.
 *
 * <p>Thread-safe, as HikariCP is.
 */
final class Database implements AutoCloseable {

  /** How many times a transaction is run before a transient failure is given up on. */
  private static final int ATTEMPTS = 5;

  /**
   * Work done in one transaction on a borrowed connection.
   *
   * @param <T> what the work returns
   */
  @FunctionalInterface
  interface Transaction<T> {
    /**
     * Does the work; the caller commits it, or rolls it back if this throws.
     *
     * @param connection the connection, not in auto-commit mode
     * @return the work's result
     * @throws SQLException if the database refuses
     */
    T run(Connection connection) throws SQLException;
  }

  private final HikariDataSource pool;
  private final SqlDialect dialect;

  private Database(HikariDataSource pool, SqlDialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /**
   * Opens a pool of {@code size} connections and finds out which database it is.
   *
   * @param url the JDBC URL
   * @param user the user
   * @param password the password
   * @param size how many connections the pool keeps open
   * @return the database
   * @throws SQLException if the database cannot be reached, or no driver knows the URL
   */
  static Database open(String url, String user, String password, int size) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName("converge-orders");
    if (url.startsWith("jdbc:h2:mem:")) {
      // An in-memory H2 database lives only while a connection is open: never retire them all.
      config.setMaxLifetime(0);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      // HikariCP reports a failed first connection (or an unknown URL) unchecked; the SQLException
      // inside says what went wrong.
      Throwable cause = e;
      while (cause != null && !(cause instanceof SQLException)) {
        cause = cause.getCause();
      }
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      throw new SQLException(e.getMessage(), e);
    }
    try (Connection connection = pool.getConnection()) {
      return new Database(pool, SqlDialect.of(connection));
    } catch (SQLException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Returns the pool.
   *
   * @return where connections come from; a connection is returned to the pool by closing it
   */
  DataSource dataSource() {
    return pool;
  }

  /**
   * Returns what the database is.
   *
   * @return its dialect
   */
  SqlDialect dialect() {
    return dialect;
  }

  /**
   * Runs {@code work} in one transaction on a connection of the pool and commits it, rolling it back
   * if it fails. A failure that {@link TransientSqlErrors} says may pass is run again, on a fresh
   * connection, up to five times in all.
   *
   * @param work the transaction's statements
   * @param <T> what the work returns
   * @return the work's result
   * @throws SQLException the last failure, once it is not transient or the attempts are used up
   */
  <T> T inTransaction(Transaction<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return inTransaction(pool, work);
      } catch (SQLException e) {
        if (attempt == ATTEMPTS
            || TransientSqlErrors.classify(e) == TransientSqlErrors.Kind.PERMANENT) {
          throw e;
        }
      }
    }
  }

  /**
   * Runs {@code work} in one transaction on a connection borrowed from {@code dataSource}, and
   * commits it or rolls it back.
   *
   * <p>The failure thrown is always the one that ended the work: a rollback or a close that fails
   * after it (as they do once the connection is lost: HikariCP then answers every call with a
   * "Connection is closed" that has no SQLState) is attached to it as suppressed, so that the
   * failure's SQLState still tells whether it may pass. Auto-commit is not switched back on: HikariCP
   * restores it when the connection returns to the pool, and a call on a lost connection would only
   * fail again.
   *
   * @param dataSource where the connection comes from; it is closed (returned) afterwards
   * @param work the transaction's statements
   * @param <T> what the work returns
   * @return the work's result, once committed
   * @throws SQLException the failure that ended the work, with the cleanup's failures suppressed
   */
  static <T> T inTransaction(DataSource dataSource, Transaction<T> work) throws SQLException {
    // try-with-resources adds a failing close() to the body's failure as suppressed.
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException | RuntimeException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    }
  }

  /** Closes every connection; for an in-memory H2 database this drops the database. */
  @Override
  public void close() {
    pool.close();
  }
}
