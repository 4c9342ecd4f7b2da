package dev.converge.batch;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where complete batches meet {@link BatchIterator#next()} calls: up to {@code prefetch} ready
 * batches waiting for a consumer, and next() futures waiting for a batch; never both at once.
 *
 * <pre>
 *   FillingBatch (DUE) ──take()──▶ a waiting next(), the oldest first
 *                                 or ▶ ready, while it holds fewer than prefetch
 *   ready ──▶ the next next(), in call order
 *   finished (source done, ready and filling empty) ──▶ every waiter gets the end or the failure
 * </pre>
 *
 * <p>A batch is assigned to its future here, under the lock, and the future is completed through
 * the transition once the lock is released; {@link NextFuture} makes sure a future its caller
 * completes or cancels first is withdrawn under the same lock, so an assigned batch is never
 * dropped.
 *
 * <p>With metrics set, each batch handed to a next() is reported through the transition too, just
 * before its future: the report is made here, under the lock, where the batch's place in the queue
 * is known, and passed to the listener once the lock is released (see {@link BatchReporter}).
 *
 * <p>Guarded by the iterator's lock: {@link #withdraw} and {@link #whenFinished}, which are called
 * from outside a transition, take it; every other method is called with it held.
 *
 * @param <T> the item type
 */
final class Handover<T> {

  private final int prefetch;
  private final FillingBatch<T> filling;
  private final ReentrantLock lock;

  /** Null without metrics. */
  private final BatchReporter reporter;

  private final ArrayDeque<Batch<T>> ready = new ArrayDeque<>();
  private final ArrayDeque<NextFuture<T>> waiters = new ArrayDeque<>();

  /** No batch follows the one being filled: the source ended or failed, or the iterator closed. */
  private boolean sourceDone;

  /** What waiters get once the stream is finished: the source's failure, or null for the end. */
  private Throwable failure;

  /** Completes once the stream is finished; made when first asked for. */
  private CompletableFuture<Void> finishedSignal;

  Handover(int prefetch, FillingBatch<T> filling, ReentrantLock lock, BatchReporter reporter) {
    this.prefetch = prefetch;
    this.filling = filling;
    this.lock = lock;
    this.reporter = reporter;
  }

  /** A next() call waits for the next batch. */
  void await(NextFuture<T> waiter) {
    waiters.add(waiter);
  }

  /** Without the lock: removes a waiting next() future; true if no batch was assigned to it. */
  boolean withdraw(NextFuture<T> waiter) {
    lock.lock();
    try {
      return waiters.remove(waiter);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The source ended ({@code error} null) or failed: once the batches held now are delivered, the
   * stream is finished, and waiters get the end or the failure.
   */
  void sourceEnded(Throwable error) {
    sourceDone = true;
    failure = error;
  }

  /**
   * Hands complete batches over: ready ones, then the due batch, to waiting next() calls in call
   * order, or to the ready queue while it has room. Once the stream is finished, ends every waiter
   * with the end, or with the failure if the source failed.
   */
  void settle(Transition transition) {
    while (true) {
      if (!waiters.isEmpty() && !ready.isEmpty()) {
        Batch<T> batch = ready.poll();
        if (reporter != null) {
          report(reporter.handedOverFromQueue(batch, filling.size()), transition);
        }
        deliver(waiters.poll(), Optional.of(batch), transition);
      } else if (filling.isDue() && (!waiters.isEmpty() || ready.size() < prefetch)) {
        Batch<T> batch = filling.take();
        if (waiters.isEmpty()) {
          ready.add(batch);
          if (reporter != null) {
            reporter.queued(batch);
          }
        } else {
          if (reporter != null) {
            report(reporter.handedOverDirectly(batch), transition);
          }
          deliver(waiters.poll(), Optional.of(batch), transition);
        }
      } else {
        break;
      }
    }
    if (isFinished()) {
      NextFuture<T> waiter;
      while ((waiter = waiters.poll()) != null) {
        if (failure != null) {
          NextFuture<T> failed = waiter;
          transition.completions().add(() -> failed.fail(failure));
        } else {
          deliver(waiter, Optional.empty(), transition);
        }
      }
      if (finishedSignal != null) {
        transition.completions().complete(finishedSignal, null);
      }
    }
  }

  /**
   * Whether the stream is finished for the consumer: the source is done and every batch has been
   * delivered, so every next() completes at once, with the end or the failure.
   */
  private boolean isFinished() {
    return sourceDone && ready.isEmpty() && filling.isEmpty();
  }

  /** Without the lock: a future that completes once the stream is finished, at once if it is. */
  CompletableFuture<Void> whenFinished() {
    CompletableFuture<Void> signal;
    boolean now;
    lock.lock();
    try {
      if (finishedSignal == null) {
        finishedSignal = new CompletableFuture<>();
      }
      signal = finishedSignal;
      now = isFinished();
    } finally {
      lock.unlock();
    }
    if (now) {
      signal.complete(null);
    }
    return signal;
  }

  /**
   * close(): adds the items of the ready batches to {@code leftovers}, and ends every waiter and
   * the finished signal through the transition.
   */
  void close(List<T> leftovers, Transition transition) {
    sourceDone = true;
    failure = null;
    Batch<T> batch;
    while ((batch = ready.poll()) != null) {
      leftovers.addAll(batch.items());
    }
    if (reporter != null) {
      reporter.cleared();
    }
    NextFuture<T> waiter;
    while ((waiter = waiters.poll()) != null) {
      deliver(waiter, Optional.empty(), transition);
    }
    if (finishedSignal != null) {
      transition.completions().complete(finishedSignal, null);
    }
  }

  /** Records the report ahead of the batch's delivery, so that the listener runs unlocked. */
  private void report(BatchReport report, Transition t) {
    t.completions().add(() -> reporter.report(report));
  }

  private static <T> void deliver(NextFuture<T> waiter, Optional<Batch<T>> value, Transition t) {
    t.completions().add(() -> waiter.deliver(value));
  }

  /** Test hook: checks the hand-over's invariants (see {@link BatchIterator#checkInvariants}). */
  void checkInvariants(boolean closed) {
    long held = filling.size();
    for (Batch<T> batch : ready) {
      Invariants.require(
          !batch.items().isEmpty() && batch.size() <= filling.maxSize(),
          "ready batches hold 1..maxSize");
      held += batch.size();
    }
    Invariants.require(ready.size() <= prefetch, "ready.size() <= prefetch");
    Invariants.require(
        held <= (long) (prefetch + 1) * filling.maxSize(), "at most (prefetch + 1) * maxSize held");
    Invariants.require(
        waiters.isEmpty() || (ready.isEmpty() && !filling.isDue() && !isFinished()),
        "a waiter waits only while no complete batch is there and the stream is not finished");
    Invariants.require(
        !closed || (ready.isEmpty() && waiters.isEmpty()), "close() takes everything");
  }
}
