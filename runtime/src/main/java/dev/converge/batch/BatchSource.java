package dev.converge.batch;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An asynchronous pull source of items: what a {@link BatchIterator} reads from.
 *
 * <p>The iterator has at most one {@link #poll(int)} outstanding at a time, and calls {@link #close()}
 * once when it is closed or the source has ended.
 *
 * @param <T> the item type
 */
public interface BatchSource<T> {

  /**
   * Asks for up to {@code max} items.
   *
   * @param max the most items the returned list may hold; at least 1
   * @return a stage that completes with 1..{@code max} items once any are available, with an empty
   *     list when the source is exhausted, or exceptionally when the source failed. Cancelling it (if
   *     it is a {@link java.util.concurrent.Future}) withdraws the request: a source must then not
   *     drop items it had already taken for it
   */
  CompletionStage<List<T>> poll(int max);

  /** Releases the source; the default does nothing. */
  default void close() {}
}
