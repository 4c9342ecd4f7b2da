package dev.converge.batch;

/** The check behind the test-only {@code checkInvariants()} hooks of the batch package. */
final class Invariants {

  private Invariants() {}

  /**
   * Throws if {@code invariant} does not hold.
   *
   * @param invariant the condition
   * @param description what it says, for the message
   * @throws IllegalStateException naming the broken invariant
   */
  static void require(boolean invariant, String description) {
    if (!invariant) {
      throw new IllegalStateException("invariant broken: " + description);
    }
  }
}
