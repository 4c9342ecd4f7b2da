package dev.converge.examples;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a database failure that waiting cures from one that it does not, by its SQLState (never by
 * its message, which drivers translate and reword).
 *
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}: the database cannot be reached or is refusing work for now. Any
 *       state of class {@code 08} (connection exception: refused, lost, closed under the client),
 *       PostgreSQL's {@code 57P01} admin shutdown, {@code 57P02} crash shutdown, {@code 57P03}
 *       cannot connect now (starting up), and {@code 53300} too many connections.
 *   <li>{@link Kind#CONFLICT}: this transaction collided with another one and running it again
 *       succeeds: {@code 40001} serialization failure, {@code 40P01} deadlock, H2's {@code HYT00}
 *       lock timeout, and {@code 23505} unique violation (the service's inserts skip rows that
 *       exist, so a collision with a concurrent insert of the same key skips the row when run
 *       again).
 *   <li>{@link Kind#PERMANENT}: everything else, a missing SQLState included: running the same
 *       statements again fails the same way.
 * </ul>
 *
 * <p>The state is the exception's own; if it has none, its cause's, as far as causes are {@link
 * SQLException}s (a pool that wraps a driver's failure). HikariCP's {@code "Connection is closed"}
 * has no state, and so is {@link Kind#PERMANENT} on its own: it is what a connection says after the
 * pool evicted it, and the error that made the pool evict it is the one to classify, which is why
 * no cleanup step may hide it (see {@link Database}). H2 reports a broken connection with its own
 * code {@code 90067} and calls it non-transient; it is not retried.
 */
final class TransientSqlErrors {

  /** What waiting does for a failure. */
  enum Kind {
    /** The database is unreachable for now: an outage, waited out up to {@code --give-up-after}. */
    UNAVAILABLE,
    /** A collision with another transaction: running it again, a moment later, succeeds. */
    CONFLICT,
    /** Running it again fails the same way. */
    PERMANENT
  }

  private static final String CONNECTION_EXCEPTION_CLASS = "08";

  private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300");

  private static final Set<String> CONFLICT = Set.of("40001", "40P01", "HYT00", "23505");

  private TransientSqlErrors() {}

  /**
   * Classifies a failure.
   *
   * @param error the failure
   * @return what waiting does for it
   */
  static Kind classify(SQLException error) {
    String state = sqlState(error);
    if (state == null) {
      return Kind.PERMANENT;
    }
    if (state.startsWith(CONNECTION_EXCEPTION_CLASS) || UNAVAILABLE.contains(state)) {
      return Kind.UNAVAILABLE;
    }
    return CONFLICT.contains(state) ? Kind.CONFLICT : Kind.PERMANENT;
  }

  /**
   * Returns the SQLState that decides a failure's kind.
   *
   * @param error the failure
   * @return its own state, else the first state among its causes that are {@link SQLException}s, or
   *     null if none has one
   */
  static String sqlState(SQLException error) {
    Throwable current = error;
    while (current instanceof SQLException sql) {
      if (sql.getSQLState() != null) {
        return sql.getSQLState();
      }
      current = current.getCause();
    }
    return null;
  }
}
