package dev.converge.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The stage of a pending {@code poll}: a future whose withdrawal and delivery cannot cross.
 *
 * <p>The source claims it under its lock before taking records for it, and completes it after the
 * lock is released. Cancelling (or completing it from outside, as a timeout would) takes the same
 * lock and fails once it is claimed, so records taken for a poll always reach it; a poll withdrawn
 * first is never claimed and its records stay buffered for the next one.
 *
 * @param <T> the record type
 */
final class PollFuture<T> extends CompletableFuture<List<T>> {

  private final ReentrantLock lock;

  /** Guarded by lock: the source has taken records (or a result) for this poll. */
  boolean claimed;

  PollFuture(ReentrantLock lock) {
    this.lock = lock;
  }

  /** Called by the source, with the lock held: the poll is live and now belongs to its delivery. */
  boolean claim() {
    if (claimed || isDone()) {
      return false;
    }
    claimed = true;
    return true;
  }

  /** Completes a claimed poll; call without the lock. */
  void deliver(List<T> items) {
    super.complete(items);
  }

  /** Fails a claimed poll; call without the lock. */
  void deliverFailure(Throwable error) {
    super.completeExceptionally(error);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    lock.lock();
    try {
      return !claimed && super.cancel(mayInterruptIfRunning);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean complete(List<T> value) {
    lock.lock();
    try {
      return !claimed && super.complete(value);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    lock.lock();
    try {
      return !claimed && super.completeExceptionally(ex);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    // Dependent stages are plain futures: only this one guards the handover.
    return new CompletableFuture<>();
  }
}
