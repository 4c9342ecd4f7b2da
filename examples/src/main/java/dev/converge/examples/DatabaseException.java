package dev.converge.examples;

import java.sql.SQLException;

/**
 * A {@link SQLException} carried through a {@link java.util.concurrent.CompletionStage}, whose
 * functions cannot throw checked exceptions.
 */
final class DatabaseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Wraps a database failure.
   *
   * @param cause the failure
   */
  DatabaseException(SQLException cause) {
    super(cause.getMessage(), cause);
  }
}
