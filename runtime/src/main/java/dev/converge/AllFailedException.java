package dev.converge;

import java.util.Objects;

/**
 * Thrown by (or completes) a {@link Race.Mode#FIRST_SUCCESS} race in which every branch failed.
 * Each branch's failure is attached as a {@linkplain #getSuppressed() suppressed exception}, in
 * parameter order, so {@code getSuppressed()[i]} is the failure of the i-th parameter.
 */
public class AllFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with the failures of every branch, in parameter order.
   *
   * @param failures one failure per branch, in parameter order; may be empty (the message then
   *     names no first failure)
   * @throws NullPointerException if {@code failures} or one of its elements is null
   */
  // javac 21+ (-Xlint:this-escape) flags addSuppressed on a non-final class; it is final in
  // Throwable and only records the failure, so no subclass code runs on a half-built object.
  @SuppressWarnings("this-escape")
  public AllFailedException(Throwable... failures) {
    super(message(failures), null);
    for (Throwable failure : failures) {
      addSuppressed(Objects.requireNonNull(failure, "failure"));
    }
  }

  private static String message(Throwable[] failures) {
    Objects.requireNonNull(failures, "failures");
    if (failures.length == 0) {
      return "every branch of the race failed";
    }
    return "all "
        + failures.length
        + " branches of the race failed; the first failure was: "
        + failures[0];
  }
}
