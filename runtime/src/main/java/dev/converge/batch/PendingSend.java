package dev.converge.batch;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BatchChannel} send waiting for room: its item, and the future completed when the channel
 * accepts it (or failed when the channel closes first). A {@link BatchChannel#send} hands the caller a
 * minimal stage of that future; a {@link BatchChannel#put} blocks on it ({@link #await}).
 *
 * <p>Guarded by the channel's lock, except the future, which is completed after the unlock.
 *
 * @param <T> the item type
 */
final class PendingSend<T> {

  final T item;
  final CompletableFuture<Void> accepted = new CompletableFuture<>();

  PendingSend(T item) {
    this.item = item;
  }

  /**
   * Blocks until {@code accepted}, a waiting send's future, completes. Interrupted while it still waits, the send is withdrawn from
   * {@code senders} (under the channel's {@code lock}), so the item is not accepted, and the
   * interrupt is thrown. If the item was accepted (or refused) before it could be withdrawn, that
   * outcome stands and the thread's interrupt status is set again.
   *
   * @throws InterruptedException if interrupted while waiting; the item was not accepted
   * @throws IllegalStateException if the channel closed before the item was accepted
   */
  static <T> void await(
      CompletableFuture<Void> accepted, ReentrantLock lock, ArrayDeque<PendingSend<T>> senders)
      throws InterruptedException {
    try {
      accepted.get();
    } catch (InterruptedException interrupt) {
      boolean withdrawn;
      lock.lock();
      try {
        withdrawn = senders.removeIf(pending -> pending.accepted == accepted);
      } finally {
        lock.unlock();
      }
      if (withdrawn) {
        throw interrupt;
      }
      Thread.currentThread().interrupt();
      // The channel took it out of `senders` and completes it right after its unlock: a short wait.
      awaitDecided(accepted);
    } catch (ExecutionException refused) {
      throw refusal(refused);
    }
  }

  private static void awaitDecided(CompletableFuture<Void> accepted) {
    try {
      accepted.join();
    } catch (RuntimeException refused) {
      throw refusal(refused);
    }
  }

  private static IllegalStateException refusal(Exception wrapped) {
    Throwable cause = wrapped.getCause() != null ? wrapped.getCause() : wrapped;
    return new IllegalStateException(cause.getMessage(), cause);
  }
}
