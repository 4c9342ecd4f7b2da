package dev.converge.batch;

/**
 * The time source and one-shot timers that a {@link BatchIterator} uses for its linger
 * ({@code maxWait}). The iterator reads time only through its scheduler, so a {@link ManualScheduler}
 * runs all linger logic in virtual time.
 *
 * <p>Implementations must be thread-safe. {@link #schedule} must never run the task on the calling
 * thread before it returns: a timer task completes {@code next()} futures, and running their
 * dependents inside the caller's {@code schedule} call would surprise it. (The iterator calls
 * {@code schedule} without holding its lock, once per batch.)
 */
public interface Scheduler {

  /**
   * Returns the shared system scheduler: {@link System#nanoTime()} as its clock, and one daemon thread
   * named {@code converge-timer}, created on first use and shared by every iterator in the process,
   * that runs the timers. Cancelled timers are removed from its queue at once, so cancelled lingers do
   * not accumulate. Timer tasks run on that thread; they should be short (a {@link BatchIterator}'s
   * timer task completes a {@code next()} future, so callbacks attached to it without an executor run
   * there too).
   *
   * @return the process-wide system scheduler
   */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /**
   * Returns the current time of this scheduler's clock, in nanoseconds from an arbitrary origin. Only
   * differences between two readings are meaningful.
   *
   * @return the current time in nanoseconds
   */
  long nanoTime();

  /**
   * Runs {@code task} once, {@code delayNanos} nanoseconds from now (a delay of zero or less means as
   * soon as possible, but never before this method returns).
   *
   * @param task what to run
   * @param delayNanos the delay, in nanoseconds of this scheduler's clock
   * @return a handle that cancels the timer
   * @throws NullPointerException if {@code task} is null
   */
  Timer schedule(Runnable task, long delayNanos);

  /** A scheduled one-shot timer. */
  interface Timer {

    /**
     * Cancels the timer if it has not started to run. Idempotent.
     *
     * @return {@code true} if this call stopped the task from running; {@code false} if it has already
     *     run, is running, or was cancelled before
     */
    boolean cancel();
  }
}
