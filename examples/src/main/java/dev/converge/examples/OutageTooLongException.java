package dev.converge.examples;

/**
 * A dependency stayed unreachable for longer than {@code --give-up-after}: the run ends. The
 * message names the dependency, how long it was gone and the last error; it is the one line the
 * service prints (see {@link ServiceFailure}).
 */
final class OutageTooLongException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure.
   *
   * @param message the line to print
   * @param lastError the last attempt's failure
   */
  OutageTooLongException(String message, Throwable lastError) {
    super(message, lastError, false, false);
  }
}
