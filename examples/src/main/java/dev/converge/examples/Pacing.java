package dev.converge.examples;

import java.util.concurrent.locks.LockSupport;

/** Waits for a point on the {@link System#nanoTime()} clock: how the order stream keeps time. */
final class Pacing {

  private Pacing() {}

  /**
   * Waits until the given time.
   *
   * @param deadline on the {@link System#nanoTime()} clock; a time already passed returns at once
   * @return false if the thread was interrupted first (its flag stays set)
   */
  static boolean parkUntil(long deadline) {
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return !Thread.currentThread().isInterrupted();
  }
}
