package dev.converge.batch;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One batch delivered by a {@link BatchIterator}.
 *
 * <p>A batch made by a {@link BatchIterator} owns its list: the iterator never keeps or changes it after
 * handing the batch over.
 *
 * @param items the items, in arrival order; never empty, at most {@code maxSize}, unmodifiable
 * @param sequence the batch's position in the stream, from 0 without gaps
 * @param reason why the batch was emitted
 * @param <T> the item type
 */
public record Batch<T>(List<T> items, long sequence, Reason reason) {

  /**
   * Checks the components and takes an unmodifiable view of the items (without copying them, so the
   * caller must not change {@code items} afterwards).
   *
   * @param items the items
   * @param sequence the batch's sequence number
   * @param reason why the batch was emitted
   * @throws IllegalArgumentException if {@code items} is empty or {@code sequence} negative
   * @throws NullPointerException if {@code items} or {@code reason} is null
   */
  public Batch {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(reason, "reason");
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a batch is never empty");
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    // A view, not a copy: one batch costs no per-item work beyond what its producer already did.
    items = Collections.unmodifiableList(items);
  }

  /**
   * Returns the number of items.
   *
   * @return {@code items().size()}
   */
  public int size() {
    return items.size();
  }

  /** Why a batch was emitted. */
  public enum Reason {
    /** It reached {@code maxSize} items. */
    SIZE,
    /** {@code maxWait} passed since its first item was received. */
    TIME,
    /** The source ended (or failed); it holds the remainder. */
    END
  }
}
