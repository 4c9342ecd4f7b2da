package dev.converge.batch;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The future returned by {@link BatchIterator#next()}. A batch is assigned to it under the iterator's
 * lock and delivered after the lock is released; every completion from outside (cancel, complete,
 * completeExceptionally, and therefore {@code orTimeout} and {@code completeOnTimeout}) first withdraws
 * it from the iterator's waiters under the same lock. So either the caller's completion wins and the
 * iterator never assigns it a batch, or the batch wins and the caller's completion fails: a batch can
 * never be assigned to a future that then drops it.
 */
final class NextFuture<T> extends CompletableFuture<Optional<Batch<T>>> {

  /** How long {@link #join()} and {@link #get()} spin before they park. */
  private static final long SPIN_NANOS = 20_000;

  private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

  private final Handover<T> owner;

  NextFuture(Handover<T> owner) {
    this.owner = owner;
  }

  /** Completes with a batch or the end; called by the iterator for a future it has assigned. */
  void deliver(Optional<Batch<T>> value) {
    super.complete(value);
  }

  /** Completes with the source's failure; called by the iterator for a future it has assigned. */
  void fail(Throwable error) {
    super.completeExceptionally(error);
  }

  /**
   * Cancels this {@code next()} if no batch has been assigned to it yet; the batch it would have
   * carried then goes to a later {@code next()}. Returns {@code false} if a batch has already been
   * assigned: the future then completes with it.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return owner.withdraw(this) ? super.cancel(mayInterruptIfRunning) : isCancelled();
  }

  @Override
  public boolean complete(Optional<Batch<T>> value) {
    return owner.withdraw(this) && super.complete(value);
  }

  @Override
  public boolean completeExceptionally(Throwable error) {
    return owner.withdraw(this) && super.completeExceptionally(error);
  }

  /**
   * Waits for the batch, first spinning for at most {@link #SPIN_NANOS} when another processor can
   * be filling it: a consumer that parks has to be unparked by the thread that completes its batch,
   * a system call on that thread's path once per batch, while a batch being filled by a fast
   * producer is usually due within that time.
   */
  @Override
  public Optional<Batch<T>> join() {
    spinBriefly();
    return super.join();
  }

  @Override
  public Optional<Batch<T>> get() throws InterruptedException, ExecutionException {
    spinBriefly();
    return super.get();
  }

  private void spinBriefly() {
    if (isDone() || !MULTIPROCESSOR) {
      return;
    }
    long start = System.nanoTime();
    while (!isDone() && System.nanoTime() - start < SPIN_NANOS) {
      Thread.onSpinWait();
    }
  }

  /** Not supported: it could drop a batch that was delivered to this future. */
  @Override
  public void obtrudeValue(Optional<Batch<T>> value) {
    throw new UnsupportedOperationException(
        "a next() future cannot be obtruded; it may hold a batch");
  }

  /** Not supported: it could drop a batch that was delivered to this future. */
  @Override
  public void obtrudeException(Throwable error) {
    throw new UnsupportedOperationException(
        "a next() future cannot be obtruded; it may hold a batch");
  }
}
