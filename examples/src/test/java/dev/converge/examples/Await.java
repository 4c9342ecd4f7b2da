package dev.converge.examples;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits for a condition on state the test cannot be notified of (rows in a database, offsets on a
 * broker, a child process's progress): checks it every 50 ms until it holds or the deadline passes.
 */
final class Await {

  private static final long CHECK_EVERY_NANOS = Duration.ofMillis(50).toNanos();

  private Await() {}

  /**
   * Waits until {@code condition} holds.
   *
   * @param timeout the deadline, from now
   * @param condition what must hold; an exception it throws fails the wait
   * @param what describes the wait in the failure, computed only then (it may read diagnostics)
   * @throws Exception what the condition threw
   * @throws AssertionError if the deadline passes first
   */
  static void until(Duration timeout, Callable<Boolean> condition, Supplier<String> what)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what.get());
      }
      LockSupport.parkNanos(CHECK_EVERY_NANOS);
    }
  }
}
