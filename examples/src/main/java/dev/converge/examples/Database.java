package dev.converge.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The service's database: a HikariCP pool behind a {@link DataSource}, and the {@link SqlDialect}
 * of what it connects to. Opening it connects at once, so an unreachable database is found at
 * start-up rather than at the first batch.
 *
 * <p>Every call here is one attempt: a failure is thrown as the database reported it, with its
 * SQLState, and {@link DatabaseRetry} decides whether to run it again.
 *
 * <p>Thread-safe, as HikariCP is.
 */
final class Database implements AutoCloseable {

  /**
   * How long borrowing a connection may take before it fails, and the attempt with it. The pool has
   * a connection per JDBC thread, so a healthy database lends one at once; a database that went
   * away is found within this time, and reported as an outage.
   */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  /** How long checking a connection that sat idle may take; below the connection timeout. */
  private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(1);

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
   * @throws SQLException if the database cannot be reached (with the driver's SQLState), or no
   *     driver knows the URL (without a state: waiting does not cure that)
   */
  static Database open(String url, String user, String password, int size) throws SQLException {
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      // DriverManager says 08001, a connection exception; but no driver arrives by waiting.
      throw new SQLException("no JDBC driver on the classpath takes this URL");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName("converge-orders");
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
    if (url.startsWith("jdbc:h2:mem:")) {
      // An in-memory H2 database lives only while a connection is open: never retire them all.
      config.setMaxLifetime(0);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      // HikariCP reports a failed first connection unchecked; the driver's SQLException inside says
      // what went wrong, and its state whether waiting may cure it.
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new SQLException(ServiceFailure.describe(e), e);
    }
    try (Connection connection = pool.getConnection()) {
      return new Database(pool, SqlDialect.of(connection));
    } catch (SQLException e) {
      try {
        pool.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
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
   * if it fails. One attempt: {@link DatabaseRetry} runs it again if the failure may pass.
   *
   * @param work the transaction's statements
   * @param <T> what the work returns
   * @return the work's result
   * @throws SQLException the failure that ended the work (see {@link #inTransaction(DataSource,
   *     Transaction)})
   */
  <T> T inTransaction(Transaction<T> work) throws SQLException {
    return inTransaction(pool, work);
  }

  /**
   * Runs {@code work} in one transaction on a connection borrowed from {@code dataSource}, and
   * commits it or rolls it back.
   *
   * <p>The failure thrown is always the one that ended the work: a rollback or a close that fails
   * after it (as they do once the connection is lost: HikariCP then answers every call with a
   * "Connection is closed" that has no SQLState) is attached to it as suppressed, so that the
   * failure's SQLState still tells whether it may pass. Auto-commit is not switched back on:
   * HikariCP restores it when the connection returns to the pool, and a call on a lost connection
   * would only fail again.
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
