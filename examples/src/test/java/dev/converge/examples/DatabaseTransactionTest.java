package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A transaction's cleanup (rollback, returning the connection) never hides the failure that caused
 * it: HikariCP answers every call on a lost connection with a "Connection is closed" that has no
 * SQLState, and that must not replace the failure whose state says the database went away.
 */
class DatabaseTransactionTest {

  private static SQLException lost() {
    return new SQLException("An I/O error occurred while sending to the backend.", "08006");
  }

  /** A connection whose methods throw what {@code failures} says, and that records its calls. */
  private static final class FakeConnection {
    final Map<String, Throwable> failures = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    Connection connection() {
      InvocationHandler handler =
          (proxy, method, args) -> {
            calls.add(method.getName());
            Throwable failure = failures.get(method.getName());
            if (failure != null) {
              throw failure;
            }
            return method.getReturnType() == boolean.class ? false : null;
          };
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    DataSource dataSource() {
      Connection connection = connection();
      InvocationHandler handler =
          (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
              return connection;
            }
            throw new UnsupportedOperationException(method.getName());
          };
      return (DataSource)
          Proxy.newProxyInstance(
              getClass().getClassLoader(), new Class<?>[] {DataSource.class}, handler);
    }
  }

  @Test
  void commitsAndReturnsTheConnection() throws SQLException {
    FakeConnection fake = new FakeConnection();

    assertEquals("done", Database.inTransaction(fake.dataSource(), connection -> "done"));
    assertEquals(List.of("setAutoCommit", "commit", "close"), fake.calls);
  }

  @Test
  void failedRollbackIsSuppressedUnderTheFailureThatCausedIt() {
    FakeConnection fake = new FakeConnection();
    SQLException closed = new SQLException("Connection is closed");
    fake.failures.put("rollback", closed);
    SQLException lost = lost();

    SQLException thrown =
        assertThrows(
            SQLException.class,
            () ->
                Database.inTransaction(
                    fake.dataSource(),
                    connection -> {
                      throw lost;
                    }));

    assertSame(lost, thrown);
    assertEquals("08006", thrown.getSQLState());
    assertArrayEquals(new Throwable[] {closed}, thrown.getSuppressed());
    assertEquals(List.of("setAutoCommit", "rollback", "close"), fake.calls);
  }

  @Test
  void failedCommitRollbackAndCloseAreAllKeptBehindTheCommitsFailure() {
    FakeConnection fake = new FakeConnection();
    SQLException commitFailure =
        new SQLException("FATAL: terminating connection due to administrator command", "57P01");
    SQLException rollbackFailure = new SQLException("Connection is closed");
    SQLException closeFailure = new SQLException("Connection is closed");
    fake.failures.put("commit", commitFailure);
    fake.failures.put("rollback", rollbackFailure);
    fake.failures.put("close", closeFailure);

    SQLException thrown =
        assertThrows(
            SQLException.class, () -> Database.inTransaction(fake.dataSource(), connection -> 1));

    assertSame(commitFailure, thrown);
    assertArrayEquals(new Throwable[] {rollbackFailure, closeFailure}, thrown.getSuppressed());
    assertEquals(TransientSqlErrors.Kind.UNAVAILABLE, TransientSqlErrors.classify(thrown));
  }

  @Test
  void uncheckedFailureOfTheWorkIsRolledBackAndKeptToo() {
    FakeConnection fake = new FakeConnection();
    IllegalStateException bug = new IllegalStateException("a bug in the work");
    SQLException rollbackFailure = new SQLException("Connection is closed");
    fake.failures.put("rollback", rollbackFailure);

    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Database.inTransaction(
                    fake.dataSource(),
                    connection -> {
                      throw bug;
                    }));

    assertSame(bug, thrown);
    assertArrayEquals(new Throwable[] {rollbackFailure}, thrown.getSuppressed());
  }

  @Test
  void failureToStartTheTransactionIsThrownWithTheClosesFailureSuppressed() {
    FakeConnection fake = new FakeConnection();
    SQLException closeFailure = new SQLException("Connection is closed");
    SQLException lost = lost();
    fake.failures.put("setAutoCommit", lost);
    fake.failures.put("close", closeFailure);

    SQLException thrown =
        assertThrows(
            SQLException.class, () -> Database.inTransaction(fake.dataSource(), connection -> 1));

    assertSame(lost, thrown);
    assertArrayEquals(new Throwable[] {closeFailure}, thrown.getSuppressed());
  }
}
