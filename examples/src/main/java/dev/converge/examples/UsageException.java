package dev.converge.examples;

/** A command-line flag is unknown, missing its value, or has a value out of range. */
final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one sentence naming the flag and what is wrong with it
   */
  UsageException(String message) {
    super(message, null, false, false);
  }
}
