package dev.converge.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Looks through the exceptions that futures wrap a failure in.
 *
 * <p>Internal to Converge: exported only to Converge's own modules, and not part of its API.
 */
public final class Failures {

  private Failures() {}

  /**
   * Returns the failure inside the wrappers that {@link java.util.concurrent.CompletableFuture} and
   * {@link java.util.concurrent.Future#get()} add: {@link CompletionException} and {@link
   * ExecutionException}, however deeply nested. A wrapper without a cause is returned as it is.
   *
   * @param error an exception, possibly a wrapper
   * @return the innermost cause those wrappers hold, or {@code error} itself if it is no wrapper
   */
  public static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
