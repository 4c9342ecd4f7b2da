package dev.converge.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns a {@link BatchSource} into a stream of {@link Batch batches} bounded in size ({@code maxSize})
 * and in waiting time ({@code maxWait}), and assembles the next batches while the consumer is still
 * processing the current one ({@code prefetch}).
 *
 * <pre>{@code
 * BatchIterator<Order> batches = BatchIterator.builder(source)
 *     .maxSize(500)                      // a batch never holds more
 *     .maxWait(Duration.ofMillis(20))    // the longest a received item waits for its batch to fill
 *     .prefetch(2)                       // completed batches prepared ahead of the consumer
 *     .build();
 * batches.forEach(batch -> store.insertAll(batch.items())).join();
 * }</pre>
 *
 * <p><b>When a batch is emitted.</b> A batch is complete when it holds {@code maxSize} items ({@link
 * Batch.Reason#SIZE}), when {@code maxWait} has passed since its first item was received from the
 * source ({@link Batch.Reason#TIME}), or when the source ends or fails ({@link Batch.Reason#END},
 * holding the remainder), whichever happens first. Nothing else completes a batch: a call to {@link
 * #next()} never flushes a partial batch. With {@code maxWait} zero every received item is due at
 * once, so a consumer gets whatever has been received by the time it asks. Batches are never empty,
 * keep the source's order, and are numbered from 0 without gaps; no item is lost or duplicated.
 *
 * <p><b>Prefetch and memory.</b> Polling starts when the iterator is built. Up to {@code prefetch}
 * complete batches wait for the consumer; meanwhile one more batch is assembled, and keeps taking items
 * until it is full, even after its linger ran out (a slow consumer gets fuller batches, not more of
 * them). Then the iterator stops polling until the consumer claims a batch. So the iterator holds at
 * most {@code (prefetch + 1) * maxSize} items, and has at most one {@link BatchSource#poll} outstanding,
 * never asking for more items than the batch being assembled has room for.
 *
 * <p><b>Threading.</b> The iterator owns no threads. It is driven by the completion of its source's
 * polls, by its scheduler's timers and by calls to {@link #next()} and {@link #close()}, and it
 * completes the futures it returns on the thread that caused the completion: the thread completing a
 * poll, the timer thread, or the caller of {@code next()} or {@code close()}. With a {@link
 * ManualScheduler} and a {@link BatchChannel} fed from one thread, everything runs on that thread.
 * Callbacks attached to those futures without an executor therefore run on those threads and should
 * not block; attach them with an executor ({@code thenApplyAsync(f, executor)}) to move work off them.
 * All methods are thread-safe. No future is completed while the iterator's lock is held.
 *
 * <p><b>Memory visibility.</b> Actions of the source before it completes a poll happen-before the
 * actions that follow the completion of the {@code next()} future that delivers those items.
 *
 * <p><b>Errors.</b> When the source fails, the items received before the failure are delivered first,
 * and then {@code next()} fails with the source's exception (unwrapped from {@link
 * CompletionException} and {@link ExecutionException}), and every later {@code next()} fails the
 * same way. A source that returns {@code null} or more items than asked for is treated as failed
 * with an {@link IllegalStateException}.
 *
 * <p><b>Cancellation and close.</b> Cancelling a pending {@code next()} loses nothing: the batch it
 * would have carried goes to the following {@code next()}. {@link #close()} stops everything and
 * returns the items that were received and not delivered.
 *
 * @param <T> the item type
 */
public final class BatchIterator<T> {

  /** Default {@link Builder#maxSize(int)}. */
  public static final int DEFAULT_MAX_SIZE = 256;

  /** Default {@link Builder#maxWait(Duration)}: 10 milliseconds. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(10);

  /** Default {@link Builder#prefetch(int)}. */
  public static final int DEFAULT_PREFETCH = 1;

  /*
   * This class keeps the API, the phase, the one intake path and close(); the parts it joins are
   * FillingBatch (with its LingerTimer), Handover, OwnedSource (with its Poller or FeedReader) and
   * Transition. docs/batch-internals.md shows how they work together. One lock (the feed's, or the
   * iterator's own) guards all of them, and no future is completed, and no source, scheduler or
   * producer called, while it is held: a transition records those in a Transition for afterUnlock.
   */

  /** The lock of the source's {@link DirectFeed}, or the iterator's own; guards all the state. */
  private final ReentrantLock lock;

  private final FillingBatch<T> filling;
  private final Handover<T> handover;
  private final OwnedSource<T> source;

  /** See {@link Phase}: OPEN, then ENDED or FAILED, and CLOSED from any phase on close(). */
  private Phase phase = Phase.OPEN;

  private BatchIterator(Builder<T> builder) {
    DirectFeed<T> feed = builder.source instanceof DirectFeedSource<T> s ? s.directFeed() : null;
    this.lock = feed != null ? feed.lock() : new ReentrantLock();
    BatchReporter reporter = BatchReporter.of(builder.metrics, builder.scheduler);
    this.filling =
        new FillingBatch<>(
            this, lock, builder.maxSize, builder.scheduler, builder.maxWait, reporter);
    this.handover = new Handover<>(builder.prefetch, filling, lock, reporter);
    this.source = new OwnedSource<>(this, builder.source, feed, filling, lock);
  }

  /**
   * Starts building an iterator over {@code source}.
   *
   * @param source where items come from; the iterator takes ownership and closes it
   * @param <T> the item type
   * @return a builder with the defaults {@code maxSize} {@value #DEFAULT_MAX_SIZE}, {@code maxWait} 10
   *     ms, {@code prefetch} {@value #DEFAULT_PREFETCH} and {@link Scheduler#system()}
   * @throws NullPointerException if {@code source} is null
   */
  public static <T> Builder<T> builder(BatchSource<T> source) {
    return new Builder<>(Objects.requireNonNull(source, "source"));
  }

  /**
   * Asks for the next batch.
   *
   * <p>Concurrent calls receive distinct, consecutive batches in the order of the calls. The future
   * completes, on the thread that makes the batch available, with the next batch; with an empty
   * {@link Optional} once the source has ended and every batch has been delivered, or once the
   * iterator is closed; or exceptionally with the source's failure once every batch received before it
   * has been delivered (and so for every later call).
   *
   * <p>Cancelling the future (or completing it, for example through {@code orTimeout}) before a batch
   * has been assigned to it withdraws the request, and the batch goes to the next call; once a batch
   * has been assigned, {@code cancel} returns {@code false} and the future completes with the batch.
   * The future does not support {@code obtrudeValue} or {@code obtrudeException}; its {@code join()}
   * and untimed {@code get()} spin up to 20 µs before they park (with more than one processor), so a
   * fast producer need not unpark the consumer once per batch.
   *
   * @return a future of the next batch, or of an empty {@code Optional} at the end of the stream
   */
  public CompletableFuture<Optional<Batch<T>>> next() {
    NextFuture<T> future = new NextFuture<>(handover);
    Transition transition = new Transition();
    Barging.lock(lock); // ahead of producers queued on the lock: they all wait for this call
    try {
      handover.await(future);
      settle(transition); // once the stream is finished (closed too), it ends the future at once
      refill(transition);
    } finally {
      lock.unlock();
    }
    afterUnlock(transition);
    return future;
  }

  /**
   * Closes the iterator: stops polling, cancels the outstanding poll, closes the source (unless it has
   * already ended), completes every pending {@link #next()} with an empty {@link Optional}, and
   * returns every item received from the source and not delivered in a batch, in source order. Later
   * {@code next()} calls complete with an empty {@code Optional}.
   *
   * <p>Idempotent: a second call returns an empty list. If a poll was being made at that moment on
   * another thread, this call waits for {@link BatchSource#poll} to return. Items carried by a poll that
   * completed before it could be cancelled are included. Only a source whose poll stage is not a
   * {@link Future} (and so cannot be cancelled) can still complete the poll afterwards; such items
   * are not received by the iterator and are left to the source.
   *
   * @return the received but undelivered items, oldest first
   * @throws RuntimeException whatever {@link BatchSource#close()} throws, after all of the above
   */
  public List<T> close() {
    List<T> leftovers = new ArrayList<>();
    Transition transition = new Transition();
    CompletionStage<List<T>> outstanding;
    boolean closeSource;
    lock.lock();
    try {
      source.poller().awaitPollCallReturned();
      if (phase == Phase.CLOSED) {
        return leftovers;
      }
      phase = Phase.CLOSED;
      closeSource = source.stop();
      handover.close(leftovers, transition);
      filling.takeRemainder(leftovers);
      outstanding = source.poller().takeForClose();
    } finally {
      lock.unlock();
    }
    if (outstanding != null) {
      leftovers.addAll(Poller.cancelAndHarvest(outstanding));
    }
    transition.complete(); // the waiting next() calls, then the finished signal
    if (closeSource) {
      source.close();
    }
    return leftovers;
  }

  /**
   * Hands each batch to {@code handler}, one at a time: the next batch is handed over only after the
   * stage returned for the previous one has completed. Batches keep being prefetched meanwhile. The
   * same as {@link #forEach(int, Function) forEach(1, handler)}, which describes threads, failures,
   * cancellation and close.
   *
   * @param handler processes one batch and returns a stage that completes when it is done
   * @return a future that completes when the stream has been processed
   */
  public CompletableFuture<Void> forEach(
      Function<? super Batch<T>, ? extends CompletionStage<?>> handler) {
    return forEach(1, handler);
  }

  /**
   * Hands each batch to {@code handler}, in order, and lets up to {@code maxInFlight} of the stages
   * it returns be outstanding at once; they may complete in any order. A batch is taken (with {@link
   * #next()}) only when fewer than {@code maxInFlight} stages are outstanding, so no more than that
   * many batches are ever in the handler's hands; the iterator keeps prefetching meanwhile, as it
   * does for any consumer. Until the loop stops, batches are handed over in sequence order, each
   * once, with none skipped.
   *
   * <p><b>Threads.</b> No thread is created. The handler is called on the thread that let the loop
   * take its next step: the caller of this method, the thread that completed a {@code next()} (see
   * the class comment), or the thread that completed an earlier handler's stage and so freed a slot.
   * It is never called concurrently with itself: each call happens-before the next, and the
   * completion of a stage happens-before the call that reuses its slot. It must not block if that
   * thread is a shared one, such as the timer thread; return a stage that runs on an executor of
   * your own instead. Stages and {@code next()} futures that complete synchronously are handled by a
   * loop, not by nested callbacks, so the stack does not grow however long the stream.
   *
   * <p><b>Completion.</b> The returned future completes normally once the stream has ended, or the
   * iterator has been closed (see below), and every stage handed out has completed successfully.
   *
   * <p><b>Failure.</b> A failure is the handler throwing, the handler returning {@code null} (a
   * {@link NullPointerException}), a stage completing exceptionally, or the source failing (which
   * {@code next()} reports after every batch received before it). The first failure stops the
   * hand-out: once the loop has seen it, no further batch is handed to the handler. The stages
   * already in flight are then awaited, and the returned future fails with that first failure
   * (unwrapped from {@link CompletionException} and {@link
   * java.util.concurrent.ExecutionException}); failures of the stages in flight, reported after
   * it, are added to it as {@linkplain Throwable#addSuppressed suppressed}. When a handler failed
   * before the stream ended, the iterator is closed once the stages in flight have completed (so
   * that work they finish, such as committing their batches, still reaches an open source) and
   * before the returned future fails; the items received but not yet handed to the handler are
   * discarded. Consume with {@link #next()} instead to keep them. A source failure leaves the
   * iterator failed, not closed.
   *
   * <p><b>Close and cancellation.</b> {@link #close()} during the loop ends the stream for it, as
   * for any consumer: the batches the loop has not taken yet are not handed out ({@code close()}
   * returns their items), the stages in flight are awaited, and the returned future then completes
   * as described above: normally, unless one of those stages fails. Completing the returned future
   * from outside (cancelling it, completing it, or letting {@code orTimeout} fire) stops the loop at
   * once and closes the iterator; the stages in flight are neither cancelled nor awaited, and their
   * outcomes are ignored.
   *
   * @param maxInFlight the most stages outstanding at once; 1 handles one batch at a time
   * @param handler processes one batch and returns a stage that completes when it is done
   * @return a future that completes when the stream has been processed
   * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
   */
  public CompletableFuture<Void> forEach(
      int maxInFlight, Function<? super Batch<T>, ? extends CompletionStage<?>> handler) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    return ForEachLoop.start(this, maxInFlight, Objects.requireNonNull(handler, "handler"));
  }

  /**
   * Returns an iterator that blocks the calling thread in {@code hasNext()} until the next batch is
   * available (meant for virtual threads). A source failure is rethrown by {@code hasNext()} as itself
   * when unchecked, otherwise wrapped in {@link CompletionException}. If the waiting thread is
   * interrupted, the wait is cancelled without losing a batch, the interrupt status is set again, and
   * {@code hasNext()} throws {@link java.util.concurrent.CancellationException}.
   *
   * @return a blocking view of the remaining batches; not thread-safe
   */
  public Iterator<Batch<T>> blockingIterator() {
    return new BlockingBatchIterator<>(this);
  }

  /**
   * Returns a sequential, ordered stream of the remaining batches, backed by {@link
   * #blockingIterator()}; closing the stream closes this iterator (discarding undelivered items).
   *
   * @return a stream of the remaining batches
   */
  public Stream<Batch<T>> stream() {
    Spliterator<Batch<T>> spliterator =
        Spliterators.spliteratorUnknownSize(
            blockingIterator(), Spliterator.ORDERED | Spliterator.NONNULL);
    return StreamSupport.stream(spliterator, false).onClose(this::close);
  }

  /**
   * Returns a publisher of the remaining batches. It accepts one subscriber (others receive {@code
   * onError} with an {@link IllegalStateException}), asks for a batch only while the subscriber has
   * outstanding demand (demand never flushes a partial batch), signals serially, and closes this
   * iterator when the subscriber cancels (discarding undelivered items). The stream's end or failure
   * is signalled without waiting for demand.
   *
   * @return a Reactive Streams publisher of the batches
   */
  public Flow.Publisher<Batch<T>> publisher() {
    return new BatchPublisher<>(this, handover);
  }

  // ---- package-private: test hooks; transitions for the parts, with the lock held ------------

  /** Test hook: how many items the iterator has received from its source so far. */
  long receivedCount() {
    lock.lock();
    try {
      return filling.received();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Test hook, for a quiescent iterator (a single-threaded test between operations): throws an
   * {@link IllegalStateException} naming the first invariant that does not hold.
   */
  void checkInvariants() {
    lock.lock();
    try {
      filling.checkInvariants(phase == Phase.OPEN, phase == Phase.CLOSED);
      handover.checkInvariants(phase == Phase.CLOSED);
      source.checkInvariants(phase == Phase.OPEN);
    } finally {
      lock.unlock();
    }
  }

  boolean isOpen() {
    return phase == Phase.OPEN;
  }

  boolean isClosed() { // Poller's handshake with close()
    return phase == Phase.CLOSED;
  }

  /**
   * The one intake path, for every way items arrive (a poll, a pushed item, a feed's buffer, a
   * queue's ready items): {@code added} items were just put into {@link FillingBatch#intakeList}.
   * The batch counts them, starting its linger or becoming due ({@link FillingBatch#took}), and
   * what is due is handed over. Returns the transition, made only if something happened when it
   * was null: an item that neither starts nor completes a batch costs no allocation.
   */
  Transition intake(int added, Transition transition) {
    Transition t = filling.took(added, transition);
    if (t != null) {
      settle(t);
    }
    return t;
  }

  /** Hands what is due to waiting next() calls or to the ready queue; ends them once finished. */
  void settle(Transition transition) {
    handover.settle(transition);
  }

  /** After a transition: keeps items coming while the batch has room (see {@link SourceReader}). */
  void refill(Transition transition) {
    source.refill(transition);
  }

  /**
   * The source ended ({@code error} null) or failed: the remainder becomes the END batch, the
   * source is closed once the lock is released, and what is due is handed over.
   */
  void end(Throwable error, Transition transition) {
    phase = error == null ? Phase.ENDED : Phase.FAILED;
    handover.sourceEnded(error);
    transition.closeSource = source.stop();
    filling.end(transition);
    settle(transition);
  }

  /** Without the lock: carries out what a transition decided, completions first. */
  void afterUnlock(Transition transition) {
    transition.complete();
    filling.afterUnlock(transition); // arms a linger that started
    source.afterUnlock(transition); // closes the source at the end; polls, or calls a producer
  }

  /**
   * Configures a {@link BatchIterator}. Not thread-safe; {@link #build()} may be called more than once
   * only with different sources in mind, since each iterator owns and closes its source.
   *
   * @param <T> the item type
   */
  public static final class Builder<T> {
    private final BatchSource<T> source;
    private int maxSize = DEFAULT_MAX_SIZE;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private int prefetch = DEFAULT_PREFETCH;
    private Scheduler scheduler = Scheduler.system();
    private BatchMetrics metrics = BatchMetrics.NOOP;

    private Builder(BatchSource<T> source) {
      this.source = source;
    }

    /**
     * Sets the most items a batch holds (default {@value BatchIterator#DEFAULT_MAX_SIZE}).
     *
     * @param maxSize 1..{@link Integer#MAX_VALUE}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxSize} is less than 1
     */
    public Builder<T> maxSize(int maxSize) {
      if (maxSize < 1) {
        throw new IllegalArgumentException(
            "maxSize must be in 1.." + Integer.MAX_VALUE + ", was " + maxSize);
      }
      this.maxSize = maxSize;
      return this;
    }

    /**
     * Sets the linger: the longest a received item waits for its batch to fill (default 10 ms).
     * Zero means a batch is due as soon as it holds an item, so a consumer gets whatever has been
     * received by the time it asks. Durations too long for a {@code long} of nanoseconds mean "never".
     *
     * @param maxWait zero or longer
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWait} is negative
     * @throws NullPointerException if {@code maxWait} is null
     */
    public Builder<T> maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxWait.isNegative()) {
        throw new IllegalArgumentException(
            "maxWait must be >= 0 (Duration.ZERO or longer), was " + maxWait);
      }
      this.maxWait = maxWait;
      return this;
    }

    /**
     * Sets how many complete batches may wait for the consumer while one more is being filled
     * (default {@value BatchIterator#DEFAULT_PREFETCH}). Zero still fills one batch ahead, but hands
     * it over only to a waiting {@code next()}.
     *
     * @param prefetch 0..{@link Integer#MAX_VALUE}
     * @return this builder
     * @throws IllegalArgumentException if {@code prefetch} is negative
     */
    public Builder<T> prefetch(int prefetch) {
      if (prefetch < 0) {
        throw new IllegalArgumentException(
            "prefetch must be in 0.." + Integer.MAX_VALUE + ", was " + prefetch);
      }
      this.prefetch = prefetch;
      return this;
    }

    /**
     * Sets the time source and timer for the linger (default {@link Scheduler#system()}).
     *
     * @param scheduler the scheduler, for example a {@link ManualScheduler} in tests
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public Builder<T> scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the listener told about every batch handed over, once per batch, outside the lock; one
     * that throws cannot break the stream (default {@link BatchMetrics#NOOP}: none, at no cost).
     *
     * @param metrics receives a {@link BatchReport} per batch; see {@link BatchMetrics}
     * @return this builder
     * @throws NullPointerException if {@code metrics} is null
     */
    public Builder<T> metrics(BatchMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Builds the iterator and starts polling the source on the calling thread.
     *
     * @return a new iterator
     */
    public BatchIterator<T> build() {
      BatchIterator<T> iterator = new BatchIterator<>(this);
      iterator.source.start(); // attaches to a feed, or makes the first poll
      return iterator;
    }
  }
}
