package dev.converge.kafka;

import java.util.concurrent.TimeUnit;

/**
 * The wait before the next commit attempt after a refusal: 50 ms, doubling with each refusal in a
 * row up to 1 s, back to 50 ms after an acknowledgement. It also tells how long refusals have
 * lasted, which bounds the retries after the stream failed.
 *
 * <p>Not thread-safe: guarded by the source's lock, or confined to the source's thread.
 */
final class RetryBackoff {

  static final long FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

  private long next = FIRST_NANOS;

  /** System.nanoTime() of the first refusal of the current run; meaningful while refusing. */
  private long firstRefusalAt;

  private boolean refusing;

  /** A refusal: returns the wait before the next attempt, and doubles the one after it. */
  long refused() {
    if (!refusing) {
      refusing = true;
      firstRefusalAt = System.nanoTime();
    }
    long wait = next;
    next = Math.min(MAX_NANOS, next * 2);
    return wait;
  }

  /** How long refusals have lasted without an acknowledgement in between; 0 when none. */
  long refusingForNanos() {
    return refusing ? System.nanoTime() - firstRefusalAt : 0;
  }

  /** An acknowledgement: the next refusal waits the first backoff again. */
  void reset() {
    next = FIRST_NANOS;
    refusing = false;
  }
}
