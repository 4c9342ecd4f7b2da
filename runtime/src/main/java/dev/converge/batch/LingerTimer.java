package dev.converge.batch;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The linger of the batch a {@link BatchIterator} is filling: the timer that makes the batch due
 * (reason {@link Batch.Reason#TIME TIME}) {@code maxWait} after its first items arrived.
 *
 * <p>A linger starts under the iterator's lock, when a batch starts filling ({@link #start}), but
 * its timer is scheduled only once the lock is released ({@link #arm}): scheduling may wake the
 * timer thread, and producers should not wait for that on the lock. So the batch may complete, or
 * the timer fire, before the timer's handle is stored. Epochs settle every such race: each linger
 * gets a new epoch when it starts, and every end of it (the batch filled or ended, the timer fired,
 * the iterator closed) moves the epoch on. A party that holds an epoch acts only if it is still the
 * current one; then the batch that linger belongs to is still filling.
 *
 * <p>Owned by the {@link FillingBatch}, which starts and stops it. Guarded by the iterator's lock,
 * except {@link #arm} and the timer's task, which take it.
 */
final class LingerTimer {

  private final BatchIterator<?> iterator;
  private final FillingBatch<?> filling;
  private final ReentrantLock lock;
  private final Scheduler scheduler;
  private final long maxWaitNanos;
  /** The current linger's timer, once armed; null otherwise. */
  private Scheduler.Timer timer;
  private long epoch;

  LingerTimer(BatchIterator<?> iterator, FillingBatch<?> filling, ReentrantLock lock,
      Scheduler scheduler, Duration maxWait) {
    this.iterator = iterator;
    this.filling = filling;
    this.lock = lock;
    this.scheduler = scheduler;
    this.maxWaitNanos = saturatedNanos(maxWait);
  }

  /** {@code maxWait} is zero: a batch is due as soon as it starts, and no timer ever runs. */
  boolean isZero() {
    return maxWaitNanos == 0;
  }

  /** Whether the current linger's timer is armed (a test hook: exactly while a batch fills). */
  boolean isArmed() {
    return timer != null;
  }

  /**
   * A batch started filling: its linger starts now. The transition carries the new epoch and the
   * start time to {@link #arm}, which runs once the lock is released.
   */
  void start(Transition transition) {
    transition.lingerEpoch = ++epoch;
    transition.lingerFrom = scheduler.nanoTime();
  }

  /**
   * The batch completed by size or by the end of the source, or the iterator closed: cancels the
   * linger. A timer the transition was going to arm can only be this linger's, so it is dropped:
   * a batch that starts and completes in one transition (a full poll, a bulk move) never schedules
   * one.
   *
   * @param transition the transition that stops the linger, or null (close)
   */
  void stop(Transition transition) {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    epoch++;
    if (transition != null) {
      transition.lingerEpoch = 0;
    }
  }


  /**
   * Without the lock: schedules the timer of linger {@code epoch}, for what is left of maxWait
   * since {@code from}, and keeps its handle if the linger is still current; otherwise cancels it.
   * A scheduler that refuses the timer fails the stream (see {@link #refused}).
   */
  void arm(long epoch, long from) {
    long delay = maxWaitNanos - Math.max(0, scheduler.nanoTime() - from);
    Scheduler.Timer scheduled;
    try {
      scheduled = Objects.requireNonNull(
          scheduler.schedule(() -> expired(epoch), delay),
          "the scheduler returned a null timer");
    } catch (RuntimeException refusal) {
      refused(epoch, refusal);
      return;
    }
    boolean kept;
    lock.lock();
    try {
      kept = epoch == this.epoch;
      if (kept) {
        timer = scheduled;
      }
    } finally {
      lock.unlock();
    }
    if (!kept) {
      scheduled.cancel();
    }
  }

  /**
   * On the timer's thread: linger {@code epoch} ran out. If it is still current, its batch is due
   * (reason TIME); otherwise the batch completed by size or end, or the iterator closed, while the
   * timer was firing, and nothing happens.
   */
  private void expired(long epoch) {
    Transition transition = new Transition();
    lock.lock();
    try {
      if (epoch != this.epoch || !filling.isFilling()) {
        return;
      }
      timer = null;
      this.epoch++;
      filling.lingerRanOut();
      iterator.settle(transition);
      iterator.refill(transition);
    } finally {
      lock.unlock();
    }
    iterator.afterUnlock(transition);
  }

  /**
   * The scheduler refused the timer of linger {@code epoch}. That fails the stream: the batch ends
   * at once and the failure follows it, rather than a batch that no timer will ever complete.
   */
  private void refused(long epoch, RuntimeException refusal) {
    Transition transition = null;
    lock.lock();
    try {
      if (epoch == this.epoch && filling.isFilling()) {
        transition = new Transition();
        iterator.end(refusal, transition);
      }
    } finally {
      lock.unlock();
    }
    if (transition != null) {
      iterator.afterUnlock(transition);
    }
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
