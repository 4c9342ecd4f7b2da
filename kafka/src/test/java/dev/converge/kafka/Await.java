package dev.converge.kafka;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that a broker or another thread makes true, by checking it until a
 * deadline. The pause between checks only paces the loop; the condition is what synchronises.
 */
final class Await {

  static final Duration DEFAULT = Duration.ofSeconds(60);

  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  static <T> T value(String what, Supplier<T> probe) {
    Object[] found = new Object[1];
    until(what, () -> (found[0] = probe.get()) != null);
    @SuppressWarnings("unchecked")
    T value = (T) found[0];
    return value;
  }
}
