package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.examples.TransientSqlErrors.Kind;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Failures are told apart by SQLState alone, whatever their message says. */
class TransientSqlErrorsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "08000", "08001", "08003", "08004", "08006", "08P01", "57P01", "57P02", "57P03", "53300"
      })
  void connectionLostRefusedShutdownAndTooManyConnectionsAreUnavailable(String state) {
    assertEquals(Kind.UNAVAILABLE, TransientSqlErrors.classify(new SQLException("any", state)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"40001", "40P01", "HYT00", "23505"})
  void serializationFailureDeadlockLockTimeoutAndDuplicateKeyAreConflicts(String state) {
    assertEquals(Kind.CONFLICT, TransientSqlErrors.classify(new SQLException("any", state)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"23502", "42P01", "42601", "22001", "28P01", "3D000", "90067", "0A000"})
  void otherStatesArePermanent(String state) {
    assertEquals(Kind.PERMANENT, TransientSqlErrors.classify(new SQLException("any", state)));
  }

  @Test
  void noStateIsPermanentAndDoesNotThrow() {
    assertEquals(Kind.PERMANENT, TransientSqlErrors.classify(new SQLException("no state")));
    assertEquals(Kind.PERMANENT, TransientSqlErrors.classify(new SQLException()));
  }

  @Test
  void theMessageIsNotRead() {
    assertEquals(
        Kind.PERMANENT,
        TransientSqlErrors.classify(
            new SQLException("An I/O error occurred while sending to the backend.", "42601")));
    assertEquals(
        Kind.UNAVAILABLE,
        TransientSqlErrors.classify(
            new SQLException("syntax error at or near \"SELEC\"", "08006")));
  }

  @Test
  void hikariConnectionIsClosedAloneIsPermanent() {
    // What HikariCP answers on a connection it has evicted: no SQLState, no cause.
    assertEquals(
        Kind.PERMANENT, TransientSqlErrors.classify(new SQLException("Connection is closed")));
  }

  @Test
  void hikariConnectionIsClosedSuppressedUnderTheRealErrorLeavesItsStateDeciding() {
    SQLException lost =
        new SQLException("An I/O error occurred while sending to the backend.", "08006");
    lost.addSuppressed(new SQLException("Connection is closed"));

    assertEquals(Kind.UNAVAILABLE, TransientSqlErrors.classify(lost));
  }

  @Test
  void hikariTimeoutCarriesTheStateOfTheLastConnectionFailure() {
    SQLException refused = new SQLException("Connection to localhost:5432 refused.", "08001");
    SQLException timeout =
        new SQLTransientConnectionException(
            "converge-orders - Connection is not available, request timed out after 2001ms",
            "08001",
            refused);

    assertEquals(Kind.UNAVAILABLE, TransientSqlErrors.classify(timeout));
  }

  @Test
  void aWrapperWithoutStateIsClassifiedByItsCause() {
    SQLException shutdown =
        new SQLException("FATAL: terminating connection due to administrator command", "57P01");
    BatchUpdateException batch =
        new BatchUpdateException("batch entry 0 failed", null, 0, new int[0], shutdown);

    assertEquals(Kind.UNAVAILABLE, TransientSqlErrors.classify(batch));
    assertEquals("57P01", TransientSqlErrors.sqlState(batch));
  }

  @Test
  void aStateOfItsOwnWinsOverTheCause() {
    SQLException conflict =
        new SQLException("deadlock detected", "40P01", new SQLException("lost", "08006"));

    assertEquals(Kind.CONFLICT, TransientSqlErrors.classify(conflict));
  }

  @Test
  void aCauseThatIsNoSqlExceptionEndsTheSearch() {
    SQLException wrapper =
        new SQLException(
            "pool refused its configuration",
            new IllegalStateException("bad", new SQLException("No suitable driver", "08001")));

    assertEquals(Kind.PERMANENT, TransientSqlErrors.classify(wrapper));
  }
}
