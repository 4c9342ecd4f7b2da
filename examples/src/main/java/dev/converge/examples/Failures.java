package dev.converge.examples;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Looks through the exceptions that futures and stages wrap a failure in. */
final class Failures {

  private Failures() {}

  /**
   * Returns the failure inside its wrappers.
   *
   * @param error an exception, possibly a {@link CompletionException}, {@link ExecutionException}
   *     or {@link DatabaseException}
   * @return the innermost cause those wrappers hold, or {@code error} itself if it is no wrapper
   */
  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException
            || current instanceof ExecutionException
            || current instanceof DatabaseException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
