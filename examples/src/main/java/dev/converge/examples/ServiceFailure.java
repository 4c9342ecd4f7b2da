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
   * @param cause why it could not; its message's first line is appended. If it is (or wraps) an
   *     {@link OutageTooLongException}, its message is the whole line instead: it names the
   *     dependency that stayed unreachable, which matters more than what the service was doing.
   */
  ServiceFailure(String what, Throwable cause) {
    super(message(what, cause), cause, false, false);
  }

  private static String message(String what, Throwable cause) {
    if (Failures.unwrap(cause) instanceof OutageTooLongException outage) {
      return outage.getMessage();
    }
    return what + ": " + describe(cause);
  }

  /**
   * Describes an exception in one line, looking through the wrappers that futures add.
   *
   * @param error the exception
   * @return its innermost meaningful message's first line; for an exception without a message, its
   *     type and where it was thrown, never the type's name alone
   */
  static String describe(Throwable error) {
    Throwable cause = Failures.unwrap(error);
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      StackTraceElement[] trace = cause.getStackTrace();
      return cause.getClass().getName()
          + " without a message"
          + (trace.length > 0 ? ", thrown at " + trace[0] : "");
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
