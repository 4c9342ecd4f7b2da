package dev.converge.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * The batch a {@link BatchIterator} is assembling, and the numbering of the batches it completes.
 *
 * <pre>
 *   EMPTY ──items taken──▶ FILLING ──full: SIZE | linger ran out: TIME | source ended: END──▶ DUE
 *     ▲    (maxWait 0: due at once, TIME)                                                   │
 *     └───────────── take(): to a waiting next() or to the ready queue ◀────────────────────┘
 *   close() empties it from any state (takeRemainder).
 * </pre>
 *
 * <p>A DUE batch is complete, but it keeps taking items while it has room and the source is open:
 * a batch due by TIME that waits for prefetch room (a slow consumer) fills up meanwhile, and keeps
 * its reason. Items enter through {@link #intakeList} and are counted by {@link #took}, which is
 * how the iterator's one intake path learns that a batch started.
 *
 * <p>Not thread-safe: guarded by the iterator's lock, like everything the iterator holds.
 *
 * @param <T> the item type
 */
final class FillingBatch<T> {

  private final int maxSize;
  /** The batch's items; null while EMPTY. */
  private ArrayList<T> items;
  /** Why the batch is complete; null unless DUE. */
  private Batch.Reason reason;
  /** While EMPTY: the list the next batch will use, once made (a drain may have found nothing). */
  private ArrayList<T> nextList;
  private long nextSequence;
  /** Items taken from the source so far (a test hook). */
  private long received;

  FillingBatch(int maxSize) {
    this.maxSize = maxSize;
  }

  int maxSize() {
    return maxSize;
  }

  boolean isEmpty() {
    return items == null;
  }

  /** Holds items and is not complete: its linger runs, if maxWait is not zero. */
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

  boolean isFull() {
    return size() >= maxSize;
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
   * Counts {@code added} items just put into the {@link #intakeList}. Returns true if they started
   * the batch (EMPTY to FILLING). Taking none leaves an EMPTY batch EMPTY, and keeps its list.
   */
  boolean took(int added) {
    received += added;
    if (items != null || added == 0) {
      return false;
    }
    items = nextList;
    nextList = null;
    return true;
  }

  /** FILLING to DUE. */
  void due(Batch.Reason why) {
    reason = why;
  }

  /** DUE to EMPTY: the batch, numbered next. */
  Batch<T> take() {
    Batch<T> batch = new Batch<>(items, nextSequence++, reason);
    items = null;
    reason = null;
    return batch;
  }

  /** close(): adds the items held to {@code leftovers} and becomes EMPTY. */
  void takeRemainder(List<T> leftovers) {
    if (items != null) {
      leftovers.addAll(items);
      items = null;
      reason = null;
    }
  }
}
