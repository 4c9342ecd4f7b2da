package dev.converge.batch;

import java.util.List;
import java.util.Objects;

/**
 * One batch delivered by a {@link BatchIterator}.
 *
 * @param items the items, in arrival order; never empty, at most {@code maxSize}, unmodifiable
 * @param sequence the batch's position in the stream, from 0 without gaps
 * @param reason why the batch was emitted
 * @param <T> the item type
 */
public record Batch<T>(List<T> items, long sequence, Reason reason) {

  /**
   * Checks the components and takes an unmodifiable view of the items.
   *
   * @param items the items
   * @param sequence the batch's sequence number
   * @param reason why the batch was emitted
   * @throws IllegalArgumentException if {@code items} is empty or {@code sequence} negative
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
