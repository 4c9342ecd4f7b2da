package dev.converge.batch;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose clock moves only when {@link #advance(Duration)} is called: virtual time
 * for deterministic tests of linger logic, with no sleeps.
 *
 * <pre>{@code
 * ManualScheduler time = new ManualScheduler();
 * BatchChannel<String> channel = BatchChannel.bounded(100);
 * BatchIterator<String> batches = BatchIterator.builder(channel)
 *     .maxSize(10).maxWait(Duration.ofMillis(20)).scheduler(time).build();
 * CompletableFuture<Optional<Batch<String>>> first = batches.next();
 * channel.trySend("a");
 * time.advance(Duration.ofMillis(20));   // the linger runs out on this thread
 * assert first.join().orElseThrow().items().equals(List.of("a"));
 * }</pre>
 *
 * <p>The clock starts at 0. Timers run only inside {@link #advance(Duration)}, on the thread that calls
 * it, in the order they fall due; timers due at the same instant run in the order they were scheduled.
 * A timer scheduled by a running timer runs in the same {@code advance} call if it falls due within the
 * advanced window. While a timer runs, {@link #nanoTime()} returns the instant it was due.
 *
 * <p>This class is thread-safe: timers may be scheduled and cancelled from any thread, also while
 * another thread advances the clock. Tasks run without any lock of this scheduler held.
 */
public final class ManualScheduler implements Scheduler {

  private final Object lock = new Object();
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long now;
  private long scheduled;

  /** Creates a scheduler whose clock reads 0 and which has no timers. */
  public ManualScheduler() {}

  @Override
  public long nanoTime() {
    synchronized (lock) {
      return now;
    }
  }

  /**
   * Schedules {@code task} to run when the clock has been advanced by {@code delayNanos} (saturating
   * at {@link Long#MAX_VALUE}). A delay of zero or less runs the task in the next {@link #advance}
   * call, even {@code advance(Duration.ZERO)}.
   */
  @Override
  public Timer schedule(Runnable task, long delayNanos) {
    Objects.requireNonNull(task, "task");
    synchronized (lock) {
      long delay = Math.max(0, delayNanos);
      long due = now + delay < now ? Long.MAX_VALUE : now + delay;
      Entry entry = new Entry(task, due, scheduled++);
      queue.add(entry);
      return entry;
    }
  }

  /**
   * Moves the clock forward by {@code by} and runs, on the calling thread, every timer that falls due
   * up to the new time, in due order. If a task throws, the exception propagates, the clock stays at
   * that task's due time, and later timers stay pending.
   *
   * @param by how far to move the clock; not negative
   * @throws IllegalArgumentException if {@code by} is negative
   */
  public void advance(Duration by) {
    Objects.requireNonNull(by, "by");
    if (by.isNegative()) {
      throw new IllegalArgumentException("advance needs a duration >= 0, was " + by);
    }
    long step = saturatedNanos(by);
    long target;
    synchronized (lock) {
      target = now + step < now ? Long.MAX_VALUE : now + step;
    }
    while (true) {
      Entry due;
      synchronized (lock) {
        due = queue.peek();
        if (due == null || due.due > target) {
          now = Math.max(now, target);
          return;
        }
        queue.poll();
        now = Math.max(now, due.due);
      }
      due.task.run();
    }
  }

  /**
   * Returns the number of timers scheduled and neither run (or started) nor cancelled.
   *
   * @return the number of pending timers
   */
  public int pendingTimers() {
    synchronized (lock) {
      return queue.size();
    }
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** A pending timer; its own handle. Ordered by due time, then by scheduling order. */
  private final class Entry implements Timer, Comparable<Entry> {
    final Runnable task;
    final long due;
    final long order;

    Entry(Runnable task, long due, long order) {
      this.task = task;
      this.due = due;
      this.order = order;
    }

    @Override
    public boolean cancel() {
      synchronized (lock) {
        return queue.remove(this);
      }
    }

    @Override
    public int compareTo(Entry other) {
      int byDue = Long.compare(due, other.due);
      return byDue != 0 ? byDue : Long.compare(order, other.order);
    }
  }
}
