package dev.converge.batch;

import dev.converge.internal.Failures;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@link BatchIterator#forEach(int, Function)}: asks for a batch whenever fewer than {@code
 * maxInFlight} handler stages are outstanding, hands it to the handler, and finishes once the
 * stream has ended or a failure stopped the hand-out, and every stage handed out has completed.
 *
 * <p>Callbacks (a {@code next()} completing, a handler stage completing) only record what happened
 * and {@link #signal()}; whichever thread takes the work-in-progress count from zero runs the loop
 * until nothing is left to do. So the handler is never called concurrently with itself, every
 * decision is taken by one thread at a time, and stages or {@code next()} futures that complete
 * synchronously are handled by iteration rather than by nested callbacks: the stack does not grow
 * however long the stream.
 */
final class ForEachLoop<T> {

  /*
   * Shared with the callbacks (written by them before signal()):
   *   nextArrived, nextBatch, nextError   the outcome of the one outstanding next(); the flag is
   *                                       volatile and written last, so the loop that reads it true
   *                                       sees the other two.
   *   inFlight                            stages handed out and not completed; a stage's callback
   *                                       records its failure before decrementing, so the loop that
   *                                       reads 0 sees every failure.
   *   failure, handlerFailed              the first failure (later ones added to it as suppressed),
   *                                       and whether any handler failed.
   *   finished                            set by the loop just before it completes the result, so
   *                                       that the result's callback can tell that from an outside
   *                                       completion.
   * Owned by the loop (the thread holding wip; the hand-over through wip orders their accesses):
   *   awaitingNext, ended, closed.
   *
   * The loop, in order of priority, each time it runs:
   *   1. result completed by someone else (cancelled, or completed by its caller)  -> stop here;
   *      the result's own callback closes the iterator.
   *   2. a next() outcome arrived -> failure: record it, the stream is over; empty: the stream is
   *      over; a batch: hand it to the handler, unless a failure has stopped the hand-out (then the
   *      batch is dropped, as the iterator is about to be closed).
   *   3. no stage in flight, and the stream is over or a failure was recorded -> if a handler
   *      failed before the stream was over, close the iterator (which also ends a next() still
   *      outstanding, so that an idle stream cannot keep the loop waiting); once no next() is
   *      outstanding, complete the result.
   *   4. no failure, stream not over, no next() outstanding, fewer than maxInFlight in flight
   *      -> ask for the next batch.
   */
  private final BatchIterator<T> iterator;
  private final int maxInFlight;
  private final Function<? super Batch<T>, ? extends CompletionStage<?>> handler;
  private final CompletableFuture<Void> result = new CompletableFuture<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final BiConsumer<Optional<Batch<T>>, Throwable> onNext = this::nextCompleted;
  private final BiConsumer<Object, Throwable> onStage = this::stageCompleted;

  private volatile boolean nextArrived;
  private Optional<Batch<T>> nextBatch;
  private Throwable nextError;
  private volatile boolean handlerFailed;
  private volatile boolean finished;

  private boolean awaitingNext;
  private boolean ended;
  private boolean closed;

  private ForEachLoop(
      BatchIterator<T> iterator,
      int maxInFlight,
      Function<? super Batch<T>, ? extends CompletionStage<?>> handler) {
    this.iterator = iterator;
    this.maxInFlight = maxInFlight;
    this.handler = handler;
  }

  static <T> CompletableFuture<Void> start(
      BatchIterator<T> iterator,
      int maxInFlight,
      Function<? super Batch<T>, ? extends CompletionStage<?>> handler) {
    ForEachLoop<T> loop = new ForEachLoop<>(iterator, maxInFlight, handler);
    loop.result.whenComplete(
        (ignored, error) -> {
          if (!loop.finished) {
            // Completed from outside (cancel, complete, orTimeout): stop pulling, as cancel always
            // did.
            iterator.close();
          }
        });
    loop.signal();
    return loop.result;
  }

  private void nextCompleted(Optional<Batch<T>> batch, Throwable error) {
    nextBatch = batch;
    nextError = error;
    nextArrived = true;
    signal();
  }

  private void stageCompleted(Object ignored, Throwable error) {
    if (error != null) {
      recordHandlerFailure(Failures.unwrap(error));
    }
    inFlight.decrementAndGet();
    signal();
  }

  private void recordHandlerFailure(Throwable error) {
    record(error);
    handlerFailed = true;
  }

  /**
   * Keeps the first failure; a later one is added to it as suppressed, unless it is already there
   * (a handler may fail several stages with one exception). Stages may fail on several threads at
   * once, hence the lock: a failure path, never taken per batch. Once the result was completed from
   * outside, failures are no longer reported, so they are not attached to anything.
   */
  private void record(Throwable error) {
    synchronized (failure) {
      if (result.isDone()) {
        return;
      }
      Throwable first = failure.get();
      if (first == null) {
        failure.set(error);
        return;
      }
      if (first != error) {
        for (Throwable known : first.getSuppressed()) {
          if (known == error) {
            return;
          }
        }
        first.addSuppressed(error);
      }
    }
  }

  private void signal() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      while (runStep()) {
        // keep going while a step leads straight to the next one
      }
    } while (wip.decrementAndGet() != 0);
  }

  /** Takes the first step that applies (see the comment above the fields); true if it took one. */
  private boolean runStep() {
    if (finished || result.isDone()) {
      return false;
    }
    if (nextArrived) {
      takeNext();
      return true;
    }
    if (inFlight.get() == 0 && (ended || failure.get() != null)) {
      if (handlerFailed && !ended && !closed) {
        closeIterator();
        return true;
      }
      if (!awaitingNext) {
        finish();
      }
      return false;
    }
    if (awaitingNext || ended || failure.get() != null || inFlight.get() >= maxInFlight) {
      return false;
    }
    awaitingNext = true;
    iterator.next().whenComplete(onNext);
    return true;
  }

  private void takeNext() {
    Optional<Batch<T>> batch = nextBatch;
    Throwable error = nextError;
    nextBatch = null;
    nextError = null;
    nextArrived = false;
    awaitingNext = false;
    if (error != null) {
      ended = true;
      record(Failures.unwrap(error));
    } else if (batch.isEmpty()) {
      ended = true;
    } else if (failure.get() == null) {
      hand(batch.get());
    }
  }

  private void hand(Batch<T> batch) {
    CompletionStage<?> stage;
    try {
      stage =
          Objects.requireNonNull(
              handler.apply(batch), "the forEach handler returned null instead of a stage");
    } catch (RuntimeException | Error e) {
      recordHandlerFailure(e);
      return;
    }
    inFlight.incrementAndGet();
    stage.whenComplete(onStage);
  }

  /**
   * Closes the iterator after a handler failure. That also ends a {@code next()} still waiting: it
   * completes with the end of the stream (or with a batch assigned to it just before, which is
   * dropped), here or on the thread delivering it.
   */
  private void closeIterator() {
    closed = true;
    try {
      iterator.close();
    } catch (RuntimeException e) {
      record(e); // the source's close failed; the handler's failure stays the cause
    }
  }

  private void finish() {
    Throwable error = failure.get();
    finished = true;
    if (error == null) {
      result.complete(null);
    } else {
      result.completeExceptionally(error);
    }
  }
}
