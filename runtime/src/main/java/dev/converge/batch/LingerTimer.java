package dev.converge.batch;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The linger of the batch a {@link BatchIterator} is filling: makes the batch due (reason {@link
 * Batch.Reason#TIME TIME}) {@code maxWait} after its first items arrived.
 *
 * <p><b>One timer, re-armed lazily.</b> At most one timer is scheduled at a time, and a batch that
 * completes by size does not cancel it: a busy stream would otherwise schedule and cancel a timer
 * (waking the timer thread, taking the executor's lock) for every batch. A batch that starts while
 * the timer is armed keeps that timer, which is due no later than the new batch's deadline (it was
 * armed for an earlier batch). When the timer fires it looks at the batch then filling: none, or
 * one already due, and it lapses (so after the last item no timer runs later than maxWait after
 * it, and once it has lapsed none is pending); one whose deadline has come, and that batch is due
 * by TIME; one whose deadline is still ahead, and it is armed again for the remainder. So while a
 * batch fills, a timer is armed that fires no later than its deadline, and no batch is due by TIME
 * before its deadline.
 *
 * <p>The timer is scheduled only once the lock is released ({@link #arm}): scheduling may wake the
 * timer thread, and producers should not wait for that on the lock. So the timer may be due to
 * lapse, or the iterator end, before its handle is stored. Epochs settle every such race: each
 * scheduling gets a new epoch, and the timer firing or being stopped (the source ended, the
 * iterator closed) moves the epoch on. A party that holds an epoch acts only if it is current.
 *
 * <p>Owned by the {@link FillingBatch}, which tells it when a batch starts ({@link #start}), is due
 * ({@link #batchDue}) and when the stream stops ({@link #stop}). Guarded by the iterator's lock,
 * except {@link #arm} and the timer's task, which take it.
 */
final class LingerTimer {

  private final BatchIterator<?> iterator;
  private final FillingBatch<?> filling;
  private final ReentrantLock lock;
  private final Scheduler scheduler;
  private final long maxWaitNanos;

  /** A timer is scheduled, or about to be (its transition has not armed it yet). */
  private boolean armed;

  /** The armed timer's handle, once stored; null otherwise. */
  private Scheduler.Timer timer;

  private long epoch;

  /** When the filling batch started; its deadline is maxWait later. */
  private long batchStart;

  LingerTimer(
      BatchIterator<?> iterator,
      FillingBatch<?> filling,
      ReentrantLock lock,
      Scheduler scheduler,
      Duration maxWait) {
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

  /** Whether a timer is armed (a test hook: always while a batch fills). */
  boolean isArmed() {
    return armed;
  }

  /**
   * A batch started filling: its deadline is maxWait from now. If no timer is armed, the transition
   * carries a new one's epoch and due time to {@link #arm}, which runs once the lock is released;
   * an armed timer is due no later than this deadline, and will re-arm itself for it.
   */
  void start(Transition transition) {
    batchStart = scheduler.nanoTime();
    if (!armed) {
      armFor(transition);
    }
  }

  /** Lock held: records in {@code transition} a timer for the filling batch's deadline. */
  private void armFor(Transition transition) {
    armed = true;
    transition.lingerEpoch = ++epoch;
    transition.lingerFrom = batchStart;
  }

  /**
   * The batch completed by size: the timer stays armed, for the batches that follow. Only a timer
   * this very transition was going to arm is dropped: a batch that starts and completes in one
   * transition (a full poll, a bulk move) never schedules one.
   */
  void batchDue(Transition transition) {
    if (transition.lingerEpoch != 0 && transition.lingerEpoch == epoch) {
      transition.lingerEpoch = 0;
      armed = false;
      epoch++;
    }
  }

  /**
   * The source ended, or the iterator closed: no batch will fill any more, so the timer is
   * cancelled, including one the transition was about to arm.
   *
   * @param transition the transition that stops the linger, or null (close)
   */
  void stop(Transition transition) {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    armed = false;
    epoch++;
    if (transition != null) {
      transition.lingerEpoch = 0;
    }
  }

  /**
   * Without the lock: schedules the timer of {@code epoch}, due maxWait after {@code from}, and
   * keeps its handle if that timer is still current; otherwise cancels it. A scheduler that refuses
   * the timer fails the stream (see {@link #refused}).
   */
  void arm(long epoch, long from) {
    long delay = maxWaitNanos - Math.max(0, scheduler.nanoTime() - from);
    Scheduler.Timer scheduled;
    try {
      scheduled =
          Objects.requireNonNull(
              scheduler.schedule(() -> expired(epoch), delay),
              "the scheduler returned a null timer");
    } catch (RuntimeException refusal) {
      refused(epoch, refusal);
      return;
    }
    boolean kept;
    lock.lock();
    try {
      kept = epoch == this.epoch && armed;
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
   * On the timer's thread: the timer of {@code epoch} fired. If it is current, the batch filling
   * now is due by TIME if its deadline has come, or gets the timer again for the rest of its wait;
   * with no batch filling, the timer lapses.
   */
  private void expired(long epoch) {
    Transition transition = new Transition();
    lock.lock();
    try {
      if (epoch != this.epoch) {
        return;
      }
      timer = null;
      armed = false;
      this.epoch++;
      if (!filling.isFilling()) {
        return; // idle, or the batch is already due: nothing to wait for
      }
      if (scheduler.nanoTime() - batchStart < maxWaitNanos) {
        armFor(transition); // armed for an earlier batch: wait out this one's remainder
      } else {
        filling.lingerRanOut();
        iterator.settle(transition);
        iterator.refill(transition);
      }
    } finally {
      lock.unlock();
    }
    iterator.afterUnlock(transition);
  }

  /**
   * The scheduler refused the timer of {@code epoch}. That fails the stream: the batch ends at once
   * and the failure follows it, rather than a batch that no timer will ever complete.
   */
  private void refused(long epoch, RuntimeException refusal) {
    Transition transition = null;
    lock.lock();
    try {
      if (epoch == this.epoch && armed) {
        armed = false;
        if (filling.isFilling()) {
          transition = new Transition();
          iterator.end(refusal, transition);
        }
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
