package dev.converge.examples;

/**
 * The service could not do its work: the database is unreachable, the pricing service could not
 * start, or a batch could not be committed. The message is the one line the service prints.
 */
final class ServiceFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure.
   *
   * @param what what the service was doing, e.g. "cannot connect to the database at jdbc:…"
   * @param cause why it could not; its message's first line is appended
   */
  ServiceFailure(String what, Throwable cause) {
    super(what + ": " + describe(cause), cause, false, false);
  }

  /**
   * Describes an exception in one line, looking through the wrappers that futures add.
   *
   * @param error the exception
   * @return its innermost meaningful message's first line, or its type's name if it has none
   */
  static String describe(Throwable error) {
    Throwable cause = Failures.unwrap(error);
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return cause.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
