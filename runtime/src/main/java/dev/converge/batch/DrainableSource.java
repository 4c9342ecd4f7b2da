package dev.converge.batch;

import java.util.List;

/**
 * A polled {@link BatchSource} that can also hand a {@link BatchIterator} the items it has ready
 * right now, synchronously, with no poll, future or intermediate list: the {@link
 * BatchSources#fromQueue} adapter. The iterator tries this before each poll it would make.
 *
 * @param <T> the item type
 */
interface DrainableSource<T> extends BatchSource<T> {

  /**
   * Called with the iterator's lock held: moves up to {@code max} items that are ready now into
   * {@code into}, the list of the batch being filled, in source order.
   *
   * @return how many items were moved; 0 when none is ready or the source cannot hand items over
   *     now, and the iterator then polls as usual
   */
  int drainReady(List<T> into, int max);
}
