package dev.converge.batch;

import dev.converge.internal.Failures;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link BatchIterator#publisher()}: a Reactive Streams publisher over one iterator, for one subscriber.
 *
 * <p>It calls {@link BatchIterator#next()} only while the subscriber has unfulfilled demand, one call at
 * a time, so demand never flushes a partial batch and no batch is taken that cannot be delivered. The
 * end and failure of the stream need no demand: they are signalled once {@link
 * Handover#whenFinished()} says the iterator has nothing left.
 */
final class BatchPublisher<T> implements Flow.Publisher<Batch<T>> {

  private final BatchIterator<T> iterator;
  private final Handover<T> handover;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  BatchPublisher(BatchIterator<T> iterator, Handover<T> handover) {
    this.iterator = iterator;
    this.handover = handover;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Batch<T>> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(
          new IllegalStateException("a BatchIterator's publisher accepts only one subscriber"));
      return;
    }
    BatchSubscription<T> subscription = new BatchSubscription<>(iterator, subscriber);
    subscriber.onSubscribe(subscription);
    subscription.start(handover.whenFinished());
  }

  /**
   * One subscription. Every signal to the subscriber is made by the thread that holds the
   * work-in-progress count in {@link #drain()}, so signals are never concurrent, and a request() made
   * from inside onNext() only bumps the count instead of recursing (rule 3.3).
   */
  private static final class BatchSubscription<T> implements Flow.Subscription {

    private final BatchIterator<T> iterator;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong demand = new AtomicLong();
    private volatile Flow.Subscriber<? super Batch<T>> subscriber;
    private volatile boolean cancelled;
    private volatile boolean finished;
    private volatile Throwable badRequest;

    /** A next() is outstanding; only the drain loop sets it, the callback clears it after the result. */
    private volatile boolean asking;

    /** The result of the outstanding next(), set by its callback before clearing {@code asking}. */
    private Optional<Batch<T>> received;

    private Throwable receivedError;
    private boolean terminated;

    BatchSubscription(BatchIterator<T> iterator, Flow.Subscriber<? super Batch<T>> subscriber) {
      this.iterator = iterator;
      this.subscriber = subscriber;
    }

    void start(CompletableFuture<Void> whenFinished) {
      whenFinished.whenComplete(
          (ignored, failure) -> {
            finished = true;
            drain();
          });
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        badRequest = new IllegalArgumentException("rule 3.9: request(n) needs n > 0, was " + n);
      } else {
        demand.getAndAccumulate(
            n,
            (current, add) -> {
              long sum = current + add;
              return sum < 0 ? Long.MAX_VALUE : sum;
            });
      }
      drain();
    }

    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        iterator.close();
        drain();
      }
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        emit();
      } while (wip.decrementAndGet() != 0);
    }

    /** Runs with the work-in-progress count held: the only place that signals the subscriber. */
    private void emit() {
      while (true) {
        Flow.Subscriber<? super Batch<T>> target = subscriber;
        if (terminated || target == null) {
          return;
        }
        if (cancelled) {
          terminate();
          return;
        }
        if (badRequest != null) {
          Throwable error = badRequest;
          cancelled = true;
          terminate();
          iterator.close();
          target.onError(error);
          return;
        }
        if (asking) {
          return; // the outstanding next() calls drain() when it completes
        }
        if (received != null || receivedError != null) {
          Optional<Batch<T>> batch = received;
          Throwable error = receivedError;
          received = null;
          receivedError = null;
          if (error != null) {
            terminate();
            target.onError(error);
            return;
          }
          if (batch.isEmpty()) {
            terminate();
            target.onComplete();
            return;
          }
          demand.decrementAndGet();
          target.onNext(batch.get());
          continue;
        }
        if (demand.get() == 0 && !finished) {
          return;
        }
        asking = true;
        iterator
            .next()
            .whenComplete(
                (batch, failure) -> {
                  if (failure != null) {
                    receivedError = Failures.unwrap(failure);
                  } else {
                    received = batch;
                  }
                  asking = false;
                  drain();
                });
      }
    }

    private void terminate() {
      terminated = true;
      subscriber = null; // rule 3.13: drop the reference
    }
  }
}
