package dev.converge.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The batch a {@link BatchIterator} is assembling, with its {@link LingerTimer}, and the numbering
 * of the batches it completes.
 *
 * <pre>
 *   EMPTY ──items taken──▶ FILLING ──full: SIZE | linger ran out: TIME | source ended: END──▶ DUE
 *     ▲    (maxWait 0: due at once, TIME)                                                   │
 *     └───────────── take(): to a waiting next() or to the ready queue ◀────────────────────┘
 *   close() empties it from any state (takeRemainder).
 * </pre>
 *
 * <p>The linger runs while the batch is FILLING: it starts when items start the batch; its one
 * timer may stay armed after the batch is due by SIZE, for the next batch to reuse (see {@link
 * LingerTimer}), and is cancelled when the source ends or the iterator closes. A DUE batch is complete, but it keeps
 * taking items while it has room and the source is open: a batch due by TIME that waits for
 * prefetch room (a slow consumer) fills up meanwhile, and keeps its reason.
 *
 * <p>Items enter through {@link #intakeList} and are counted by {@link #took}, the batch's half of
 * the iterator's one intake path ({@link BatchIterator#intake}).
 *
 * <p>With metrics set, it tells the {@link BatchReporter} when a batch starts and when it becomes
 * due, the two clock readings of the batch's fill time; without, the reporter is null and nothing
 * is read.
 *
 * <p>Not thread-safe: guarded by the iterator's lock, like everything the iterator holds.
 *
 * @param <T> the item type
 */
final class FillingBatch<T> {

  private final int maxSize;
  private final LingerTimer linger;

  /** Null without metrics. */
  private final BatchReporter reporter;

  /** The batch's items; null while EMPTY. */
  private ArrayList<T> items;

  /** Why the batch is complete; null unless DUE. */
  private Batch.Reason reason;

  /** While EMPTY: the list the next batch will use, once made (a drain may have found nothing). */
  private ArrayList<T> nextList;

  private long nextSequence;

  /** Items taken from the source so far (a test hook). */
  private long received;

  FillingBatch(
      BatchIterator<T> iterator,
      ReentrantLock lock,
      int maxSize,
      Scheduler scheduler,
      Duration maxWait,
      BatchReporter reporter) {
    this.maxSize = maxSize;
    this.reporter = reporter;
    this.linger = new LingerTimer(iterator, this, lock, scheduler, maxWait);
  }

  int maxSize() {
    return maxSize;
  }

  boolean isEmpty() {
    return items == null;
  }

  /** Holds items and is not complete: its linger runs, unless maxWait is zero. */
  boolean isFilling() {
    return items != null && reason == null;
  }

  /** Complete and waiting to be taken. */
  boolean isDue() {
    return reason != null;
  }

  int size() {
    return items == null ? 0 : items.size();
  }

  /** How many more items the batch may take: {@code maxSize} while EMPTY. */
  int room() {
    return maxSize - size();
  }

  long received() {
    return received;
  }

  /**
   * The list to put new items into: the batch's own, or while EMPTY the list the next batch will
   * use. It is sized for a whole batch up to a cap, so that filling it does not reallocate: its
   * array is the only allocation the items cost.
   *
   * @param firstItems how many items are about to arrive, to size a new list
   */
  ArrayList<T> intakeList(int firstItems) {
    if (items != null) {
      return items;
    }
    if (nextList == null) {
      nextList = new ArrayList<>(Math.min(maxSize, Math.max(firstItems, 1024)));
    }
    return nextList;
  }

  /**
   * Counts {@code added} items just put into the {@link #intakeList}. If they started the batch,
   * its linger starts (with maxWait zero, the batch is due at once instead); if they filled it, it
   * is due by SIZE. Taking none leaves an EMPTY batch EMPTY, and keeps its list.
   *
   * @param transition the transition, or null to make one only if the batch started or is due
   * @return the transition, or null if it was null and neither happened
   */
  Transition took(int added, Transition transition) {
    received += added;
    Transition t = transition;
    if (items == null && added > 0) {
      items = nextList;
      nextList = null;
      t = t != null ? t : new Transition();
      if (reporter != null) {
        reporter.started();
      }
      if (linger.isZero()) {
        becomeDue(Batch.Reason.TIME);
      } else {
        linger.start(t);
      }
    }
    if (isFilling() && items.size() >= maxSize) {
      t = t != null ? t : new Transition();
      becomeDue(Batch.Reason.SIZE);
      linger.batchDue(t);
    }
    return t;
  }

  /** FILLING to DUE because the linger ran out (the {@link LingerTimer} has ended it). */
  void lingerRanOut() {
    becomeDue(Batch.Reason.TIME);
  }

  /** The source ended or failed: a FILLING batch is due, with the remainder (END). */
  void end(Transition transition) {
    if (isFilling()) {
      becomeDue(Batch.Reason.END);
    }
    linger.stop(transition); // also a timer kept armed after a SIZE batch: nothing fills any more
  }

  /** FILLING to DUE: the one place a batch's reason is set, and so its completion time read. */
  private void becomeDue(Batch.Reason why) {
    reason = why;
    if (reporter != null) {
      reporter.due();
    }
  }

  /** DUE to EMPTY: the batch, numbered next. */
  Batch<T> take() {
    Batch<T> batch = new Batch<>(items, nextSequence++, reason);
    items = null;
    reason = null;
    return batch;
  }

  /** close(): adds the items held to {@code leftovers}, stops the linger and becomes EMPTY. */
  void takeRemainder(List<T> leftovers) {
    if (items != null) {
      leftovers.addAll(items);
      items = null;
      reason = null;
    }
    linger.stop(null);
  }

  /** Without the lock: arms the linger a transition started, if any. */
  void afterUnlock(Transition transition) {
    if (transition.lingerEpoch != 0) {
      linger.arm(transition.lingerEpoch, transition.lingerFrom);
    }
  }

  /** Test hook: checks the batch's invariants; {@code open} while the source may send more. */
  void checkInvariants(boolean open, boolean closed) {
    Invariants.require(
        items == null || (!items.isEmpty() && items.size() <= maxSize),
        "filling holds 1..maxSize items");
    Invariants.require(
        !isFilling() || linger.isZero() || linger.isArmed(),
        "a linger timer is armed while an incomplete batch is filled");
    Invariants.require(open || !linger.isArmed(), "no timer is armed after the end");
    Invariants.require(open || !isFilling(), "after the end, the remainder is complete");
    Invariants.require(!closed || items == null, "close() takes everything");
  }
}
