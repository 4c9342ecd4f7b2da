package dev.converge.examples;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before each retry: exponential, capped, with jitter. Retry {@code n} waits
 * between half and all of {@code min(longest, first × 2^(n-1))}, the position within that range
 * drawn from the jitter source. Half is fixed so that retries never follow each other at once; the
 * other half is random so that members that lost the database at the same moment do not all come
 * back at the same moment.
 *
 * <p>With the service's defaults (100 ms, 2 s): 50–100 ms, 100–200 ms, 200–400 ms, 400–800 ms,
 * 0.8–1.6 s, then 1–2 s for every retry after that. A database that comes back is found within 2 s.
 *
 * <p>Thread-safe if its jitter source is; the default one is used under a lock.
 */
final class Backoff {

  /** The first retry's ceiling. */
  static final Duration FIRST = Duration.ofMillis(100);

  /** The ceiling of every retry, once doubling has reached it. */
  static final Duration LONGEST = Duration.ofSeconds(2);

  private final long firstNanos;
  private final long longestNanos;
  private final DoubleSupplier jitter;

  /**
   * Creates a backoff.
   *
   * @param first the first retry's ceiling, more than 0
   * @param longest the largest ceiling, at least {@code first}
   * @param jitter values in [0, 1): where in the upper half of its ceiling each delay falls
   */
  Backoff(Duration first, Duration longest, DoubleSupplier jitter) {
    if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "need 0 < first <= longest, was first " + first + ", longest " + longest);
    }
    this.firstNanos = first.toNanos();
    this.longestNanos = longest.toNanos();
    this.jitter = jitter;
  }

  /**
   * Returns the service's backoff: {@link #FIRST}, {@link #LONGEST}, and jitter from a random
   * source seeded differently in every run.
   *
   * @return the backoff
   */
  static Backoff standard() {
    SplittableRandom random = new SplittableRandom();
    return new Backoff(
        FIRST,
        LONGEST,
        () -> {
          synchronized (random) {
            return random.nextDouble();
          }
        });
  }

  /**
   * Returns how long to wait before a retry.
   *
   * @param retry which retry, 1 for the first
   * @return the delay in nanoseconds, between half and all of the retry's ceiling
   */
  long delayNanos(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1, was " + retry);
    }
    long ceiling = ceilingNanos(retry);
    double position = Math.min(Math.max(jitter.getAsDouble(), 0.0), 1.0);
    return ceiling - ceiling / 2 + (long) (position * (ceiling / 2));
  }

  /** min(longest, first × 2^(retry-1)), without overflowing however many retries there were. */
  private long ceilingNanos(int retry) {
    int doublings = retry - 1;
    if (doublings >= Long.numberOfLeadingZeros(firstNanos) - 1) {
      return longestNanos;
    }
    return Math.min(longestNanos, firstNanos << doublings);
  }
}
