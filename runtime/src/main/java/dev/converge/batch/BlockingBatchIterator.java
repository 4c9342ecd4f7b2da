package dev.converge.batch;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** {@link BatchIterator#blockingIterator()}: waits for each {@code next()} on the calling thread. */
final class BlockingBatchIterator<T> implements Iterator<Batch<T>> {

  private final BatchIterator<T> iterator;
  private Batch<T> lookahead;
  private boolean ended;

  BlockingBatchIterator(BatchIterator<T> iterator) {
    this.iterator = iterator;
  }

  @Override
  public boolean hasNext() {
    if (lookahead != null) {
      return true;
    }
    if (ended) {
      return false;
    }
    CompletableFuture<Optional<Batch<T>>> next = iterator.next();
    Optional<Batch<T>> batch;
    try {
      batch = next.get();
    } catch (InterruptedException e) {
      // Withdraws the request; if a batch was already assigned, it is taken rather than lost.
      if (!next.cancel(false)) {
        batch = next.join();
        Thread.currentThread().interrupt();
        return accept(batch);
      }
      Thread.currentThread().interrupt();
      CancellationException cancelled =
          new CancellationException("interrupted while waiting for the next batch");
      cancelled.initCause(e);
      throw cancelled;
    } catch (ExecutionException e) {
      // Not marked ended: like next(), every later call fails the same way.
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new CompletionException(cause);
    }
    return accept(batch);
  }

  private boolean accept(Optional<Batch<T>> batch) {
    if (batch.isEmpty()) {
      ended = true;
      return false;
    }
    lookahead = batch.get();
    return true;
  }

  @Override
  public Batch<T> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the batch stream has ended");
    }
    Batch<T> batch = lookahead;
    lookahead = null;
    return batch;
  }
}
