package dev.converge.batch;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A poll a source could not answer at once: its future and its {@code max}. Shared by the sources
 * that answer polls later ({@link BatchChannel}, {@link QueueSource}, {@link PublisherSource}), which
 * all follow the same rules:
 *
 * <ul>
 *   <li>A poll whose future is done (the caller cancelled it, or completed it from outside) is
 *       treated as absent: {@link #isLive}.
 *   <li>A source completes the future outside its lock, having claimed the poll under it. When the
 *       completion fails because the caller got there first, the items go back to the head of the
 *       source's buffer in their order ({@link #giveBack}), so nothing is lost or reordered.
 * </ul>
 *
 * @param <T> the item type
 */
final class PendingPoll<T> {

  /** The most items the poll may be given, at least 1. */
  final int max;

  /** Items or the end have been assigned to this poll under the source's lock (BatchChannel). */
  boolean assigned;

  private final CompletableFuture<List<T>> future = new CompletableFuture<>();

  PendingPoll(int max) {
    this.max = max;
  }

  /** The future the source returns from {@code poll}. */
  CompletableFuture<List<T>> future() {
    return future;
  }

  /** Whether the poll still waits: not cancelled or completed. */
  boolean isLive() {
    return !future.isDone();
  }

  /** Whether {@code poll} is a poll that still waits. */
  static boolean isLive(PendingPoll<?> poll) {
    return poll != null && poll.isLive();
  }

  /** A source serves one poll at a time: throws if {@code poll} still waits. */
  static void requireNoLivePoll(PendingPoll<?> poll) {
    if (isLive(poll)) {
      throw new IllegalStateException(
          "a poll is already pending; a BatchSource serves one at a time");
    }
  }

  /**
   * Completes the poll with items (outside the source's lock).
   *
   * @return false if the caller completed or cancelled the future first: the items were not taken
   *     and go back to the source with {@link #giveBack}
   */
  boolean deliver(List<T> items) {
    return future.complete(items);
  }

  /** Completes the poll with the end of the stream: an empty list, or the failure if not null. */
  void end(Throwable failure) {
    if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      future.complete(List.of());
    }
  }

  /** Moves up to {@code max} items from the head of {@code buffer} into {@code into}, in order. */
  static <T> int takeFirst(ArrayDeque<T> buffer, List<? super T> into, int max) {
    int moved = 0;
    while (moved < max && !buffer.isEmpty()) {
      into.add(buffer.poll());
      moved++;
    }
    return moved;
  }

  /** Puts items a poll did not take back at the head of {@code buffer}, in their order. */
  static <T> void giveBack(ArrayDeque<T> buffer, List<T> items) {
    for (int i = items.size() - 1; i >= 0; i--) {
      buffer.addFirst(items.get(i));
    }
  }
}
