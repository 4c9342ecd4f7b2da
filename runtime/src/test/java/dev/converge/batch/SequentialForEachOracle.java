package dev.converge.batch;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The forEach loop as it was before forEach took a maxInFlight (commit 7dcb09e, unchanged), kept
 * as the oracle that {@code forEach(1, handler)} must match event for event: asks for a batch, runs
 * the handler, waits for its stage, repeats.
 *
 * <p>Steps that complete synchronously are run by a loop rather than by nested callbacks, so a fast
 * source and a synchronous handler cannot grow the stack: a callback only records its result and
 * {@link #signal()}s; whichever thread holds the work-in-progress count runs the steps.
 */
final class SequentialForEachOracle<T> {

  /*
   * step, written before signal() by whoever completes a wait, read by the thread running the loop:
   *   ASK ──next() issued──▶ AWAIT_BATCH ──batch──▶ GOT_BATCH ──handler called──▶ AWAIT_HANDLER
   *    ▲                                                                              │
   *    └──────────────────────────────── handler stage done (HANDLED) ◀──────────────┘
   * Any failure, the end of the stream, or cancellation of the result moves to DONE.
   */
  private static final int ASK = 0;
  private static final int AWAIT_BATCH = 1;
  private static final int GOT_BATCH = 2;
  private static final int AWAIT_HANDLER = 3;
  private static final int HANDLED = 4;
  private static final int DONE = 5;

  private final BatchIterator<T> iterator;
  private final Function<? super Batch<T>, ? extends CompletionStage<?>> handler;
  private final CompletableFuture<Void> result = new CompletableFuture<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile int step = ASK;
  private Optional<Batch<T>> batch;
  private Throwable error;

  private SequentialForEachOracle(
      BatchIterator<T> iterator, Function<? super Batch<T>, ? extends CompletionStage<?>> handler) {
    this.iterator = iterator;
    this.handler = handler;
  }

  static <T> CompletableFuture<Void> start(
      BatchIterator<T> iterator, Function<? super Batch<T>, ? extends CompletionStage<?>> handler) {
    SequentialForEachOracle<T> loop = new SequentialForEachOracle<>(iterator, handler);
    loop.result.whenComplete(
        (ignored, failure) -> {
          if (failure instanceof CancellationException) {
            iterator.close();
          }
        });
    loop.signal();
    return loop.result;
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

  /** Runs the current step; returns true if the next step can run at once. */
  private boolean runStep() {
    if (result.isDone()) {
      step = DONE;
      return false;
    }
    switch (step) {
      case ASK -> {
        step = AWAIT_BATCH;
        iterator
            .next()
            .whenComplete(
                (next, failure) -> {
                  batch = next;
                  error = failure;
                  step = GOT_BATCH;
                  signal();
                });
        return false;
      }
      case GOT_BATCH -> {
        if (error != null) {
          finish(unwrap(error), false);
          return false;
        }
        if (batch.isEmpty()) {
          finish(null, false);
          return false;
        }
        CompletionStage<?> handled;
        try {
          handled =
              Objects.requireNonNull(
                  handler.apply(batch.get()),
                  "the forEach handler returned null instead of a stage");
        } catch (RuntimeException | Error e) {
          finish(e, true);
          return false;
        }
        batch = null;
        step = AWAIT_HANDLER;
        handled.whenComplete(
            (ignored, failure) -> {
              error = failure;
              step = HANDLED;
              signal();
            });
        return false;
      }
      case HANDLED -> {
        if (error != null) {
          finish(unwrap(error), true);
          return false;
        }
        step = ASK;
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private void finish(Throwable failure, boolean closeIterator) {
    step = DONE;
    if (closeIterator) {
      iterator.close();
    }
    if (failure == null) {
      result.complete(null);
    } else {
      result.completeExceptionally(failure);
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
