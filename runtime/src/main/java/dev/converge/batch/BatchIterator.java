package dev.converge.batch;

import java.time.Duration;
import java.util.ArrayDeque;
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
import java.util.concurrent.locks.Condition;
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
 * holding the remainder); the reason is the first of these to happen. Nothing else completes a batch:
 * in particular a call to {@link #next()} never flushes a partial batch. With {@code maxWait} zero every
 * received item is due at once, so a consumer gets whatever has been received by the time it asks.
 * Batches are never empty, keep the source's order, and are numbered from 0 without gaps; no item is
 * lost or duplicated.
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
 * CompletionException}), and every later {@code next()} fails the same way. A source that returns
 * {@code null} or more items than asked for is treated as failed with an {@link IllegalStateException}.
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

  private final BatchSource<T> source;
  private final int maxSize;
  private final long maxWaitNanos;
  private final int prefetch;
  private final Scheduler scheduler;

  /*
   * One lock guards all state below. The iterator's phase:
   *
   *   OPEN ──source returns empty list──▶ ENDED ─┐
   *     │  ──source fails───────────────▶ FAILED ─┼──close()──▶ CLOSED
   *     └──────────────close()────────────────────┘
   *
   * Items flow: source poll ──▶ filling ──(complete: SIZE | TIME | END)──▶ a waiting next()
   *                                                                   or ──▶ ready (if < prefetch)
   *             ready ──▶ a waiting next() (in call order)
   *
   * A DirectFeed source (BatchChannel, fromPublisher, fromIterator) feeds the iterator directly
   * instead (`direct`): the iterator shares the feed's lock, a producer puts its item straight into
   * `filling` while it has room, and refill() moves the feed's buffered items in bulk when room
   * appears. So an item costs one lock acquisition and one list slot; a batch costs its list, its
   * linger timer and one hand-over.
   *
   * Invariants (with the lock held, between transitions):
   *   - ready.size() <= prefetch; filling.size() <= maxSize; each ready batch is non-empty.
   *   - waiters is empty, or ready is empty and filling is not complete (else settle() hands over).
   *   - fillingReason != null  <=>  filling is complete and waits for room; then linger == null.
   *   - linger != null  <=>  filling is non-empty and not complete and maxWait > 0.
   *   - poll idle while OPEN (and not direct) means the batch being filled has no room (backpressure).
   *   - direct: while OPEN and the batch has room, the channel buffers nothing and has not ended.
   *   - In ENDED and FAILED, filling is null or complete; no poll is outstanding; the source is closed.
   *   - The stream is exhausted (next() returns the end or failure) when phase != OPEN, ready is
   *     empty and filling is null.
   *
   * Every transition collects the futures to complete in an Effects object and completes them after
   * the lock is released. Source polls are also made outside the lock; PollProtocol (its transition
   * table is above that class) tracks the one poll, and close() waits for a poll() call in progress
   * on another thread to return so that it can cancel the poll (and collect any items it carried).
   */

  /** The stream's phase; see the diagram above. */
  private enum Phase {
    /** Items may still come from the source. */
    OPEN,
    /** The source returned an empty list: the remainder is the END batch, then the stream ends. */
    ENDED,
    /** The source failed: the remainder is the END batch, then every next() fails. */
    FAILED,
    /** close() was called: nothing more is delivered. */
    CLOSED
  }


  /** The lock of the source's {@link DirectFeed} (see {@link #direct}), or the iterator's own. */
  private final ReentrantLock lock;
  private final Condition pollCallReturned;
  /** The source's {@link DirectFeed} (a channel, publisher or iterator adapter), or null. */
  private final DirectFeed<T> feed;
  /**
   * The feed pushes into this iterator instead of answering polls: producers put items into {@code
   * filling} under the shared lock while it has room, and {@link #refill} moves buffered items in
   * bulk when room appears. Set once, at build, when the feed accepts the attachment.
   */
  private boolean direct;
  /** The source, when it is a {@link BatchSources#fromQueue} adapter (see {@link #drainQueue}). */
  private final QueueSource<T> queue;
  /** An empty batch list a {@link #drainQueue} found nothing for; the next batch uses it. */
  private ArrayList<T> spare;
  /** Items received from the source so far (a test hook; one add per transfer). */
  private long received;

  private Phase phase = Phase.OPEN;
  private Throwable failure;
  private final ArrayDeque<Batch<T>> ready = new ArrayDeque<>();
  private ArrayList<T> filling;
  private Batch.Reason fillingReason;
  private Scheduler.Timer linger;
  private long lingerEpoch;
  private long nextSequence;
  private final ArrayDeque<NextFuture<T>> waiters = new ArrayDeque<>();

  /** The one poll of a polled source (unused when a channel feeds the iterator directly). */
  private final PollProtocol<T> poll = new PollProtocol<>();
  private boolean sourceClosed;
  private CompletableFuture<Void> exhausted;

  private BatchIterator(Builder<T> builder) {
    this.source = builder.source;
    this.maxSize = builder.maxSize;
    this.maxWaitNanos = saturatedNanos(builder.maxWait);
    this.prefetch = builder.prefetch;
    this.scheduler = builder.scheduler;
    this.feed = directFeedOf(source);
    this.queue = source instanceof QueueSource<T> q ? q : null;
    this.lock = feed != null ? feed.lock() : new ReentrantLock();
    this.pollCallReturned = lock.newCondition();
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
   * The future does not support {@code obtrudeValue} or {@code obtrudeException}.
   *
   * @return a future of the next batch, or of an empty {@code Optional} at the end of the stream
   */
  public CompletableFuture<Optional<Batch<T>>> next() {
    NextFuture<T> future = new NextFuture<>(this);
    Effects<T> effects = new Effects<>();
    lock.lock();
    try {
      if (phase == Phase.CLOSED) {
        effects.deliver(future, Optional.empty());
      } else {
        waiters.add(future);
        settle(effects);
        refill(effects);
      }
    } finally {
      lock.unlock();
    }
    run(effects);
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
    List<T> leftovers;
    List<NextFuture<T>> pending;
    CompletionStage<List<T>> outstanding;
    boolean closeSource;
    CompletableFuture<Void> exhaustedSignal;
    lock.lock();
    try {
      while (poll.isCallingElsewhere() && phase != Phase.CLOSED) {
        pollCallReturned.awaitUninterruptibly();
      }
      if (phase == Phase.CLOSED) {
        return new ArrayList<>();
      }
      phase = Phase.CLOSED;
      if (direct) {
        feed.detach(); // items still in the feed stay there, for whoever polls it next
      }
      leftovers = new ArrayList<>();
      for (Batch<T> batch : ready) {
        leftovers.addAll(batch.items());
      }
      ready.clear();
      if (filling != null) {
        leftovers.addAll(filling);
        filling = null;
        fillingReason = null;
      }
      cancelLinger();
      pending = new ArrayList<>(waiters);
      waiters.clear();
      outstanding = poll.takeForClose();
      closeSource = !sourceClosed;
      sourceClosed = true;
      exhaustedSignal = exhausted;
    } finally {
      lock.unlock();
    }
    if (outstanding != null) {
      leftovers.addAll(cancelAndHarvest(outstanding));
    }
    for (NextFuture<T> future : pending) {
      future.deliver(Optional.empty());
    }
    if (exhaustedSignal != null) {
      exhaustedSignal.complete(null);
    }
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
   * (unwrapped from {@link CompletionException}); failures of the stages in flight, reported after
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
  public CompletableFuture<Void> forEach(int maxInFlight,
      Function<? super Batch<T>, ? extends CompletionStage<?>> handler) {
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
    Spliterator<Batch<T>> spliterator = Spliterators.spliteratorUnknownSize(blockingIterator(),
        Spliterator.ORDERED | Spliterator.NONNULL);
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
    return new BatchPublisher<>(this);
  }

  // ---- package-private hooks --------------------------------------------------------------------

  /**
   * Returns a future that completes once {@link #next()} would complete at once without a batch: the
   * stream has ended or failed and every batch has been delivered, or the iterator is closed.
   */
  CompletableFuture<Void> exhausted() {
    CompletableFuture<Void> signal;
    boolean now;
    lock.lock();
    try {
      if (exhausted == null) {
        exhausted = new CompletableFuture<>();
      }
      signal = exhausted;
      now = isExhausted();
    } finally {
      lock.unlock();
    }
    if (now) {
      signal.complete(null);
    }
    return signal;
  }

  /** Test hook: how many items the iterator has received from its source so far. */
  long receivedCount() {
    lock.lock();
    try {
      return received;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Test hook: checks the invariants listed above the state (meant for a quiescent iterator, as in a
   * single-threaded test between operations), and throws an {@link IllegalStateException} naming the
   * first that does not hold.
   */
  void checkInvariants() {
    lock.lock();
    try {
      long held = filling == null ? 0 : filling.size();
      for (Batch<T> batch : ready) {
        require(!batch.items().isEmpty() && batch.size() <= maxSize, "ready batches hold 1..maxSize");
        held += batch.size();
      }
      require(ready.size() <= prefetch, "ready.size() <= prefetch");
      require(filling == null || (!filling.isEmpty() && filling.size() <= maxSize),
          "filling holds 1..maxSize items");
      require(held <= (long) (prefetch + 1) * maxSize, "at most (prefetch + 1) * maxSize held");
      require(waiters.isEmpty() || (ready.isEmpty() && fillingReason == null && !isExhausted()),
          "a waiter waits only while no complete batch is there and the stream is not exhausted");
      require(fillingReason == null || (filling != null && linger == null),
          "a complete batch has no linger");
      require((linger != null) == (filling != null && fillingReason == null && maxWaitNanos > 0),
          "a linger runs exactly while an incomplete batch is filled");
      if (phase == Phase.OPEN) {
        require(direct || !poll.isIdle() || room() == 0,
            "a polled source has a poll outstanding while the batch has room");
        require(!direct || room() == 0 || feed.buffered() == 0,
            "a feed holds items only while the batch has no room");
        require(!direct || room() == 0 || !feed.drainedEnd(),
            "a drained, ended feed has ended the stream");
      } else {
        require(filling == null || fillingReason != null, "after the end, the remainder is complete");
        require(sourceClosed, "after the end, the source is closed");
        require(phase != Phase.CLOSED || (ready.isEmpty() && filling == null && waiters.isEmpty()),
            "close() takes everything");
      }
    } finally {
      lock.unlock();
    }
  }

  private static void require(boolean invariant, String description) {
    if (!invariant) {
      throw new IllegalStateException("invariant broken: " + description);
    }
  }

  /** Removes a pending next() future from the waiters; true if it was still waiting. */
  boolean withdraw(NextFuture<T> future) {
    lock.lock();
    try {
      return waiters.remove(future);
    } finally {
      lock.unlock();
    }
  }

  // ---- the direct path from a DirectFeed (package-private; the feed's lock is held) --------------

  /** Whether a sent item may go straight into the batch being filled. */
  boolean hasRoom() {
    return phase == Phase.OPEN && room() > 0;
  }

  /**
   * Takes one sent item into the batch being filled (which {@link #hasRoom() has room}). Costs no
   * allocation unless the item starts a batch (its list and linger timer) or completes one; returns
   * what to complete after the lock is released, or null when there is nothing.
   */
  Effects<T> receiveOne(T item) {
    received++;
    if (filling == null) {
      filling = newBatchList(1);
      filling.add(item);
      if (maxWaitNanos != 0) {
        Effects<T> effects = new Effects<>();
        startLinger(effects); // armed by the caller once the lock is released
        return completeIfFullAndSettle(effects);
      }
      fillingReason = Batch.Reason.TIME; // maxWait 0: due at once
      Effects<T> effects = new Effects<>();
      settle(effects);
      refill(effects);
      return effects;
    }
    filling.add(item);
    return completeIfFullAndSettle(null);
  }

  private Effects<T> completeIfFullAndSettle(Effects<T> effects) {
    if (fillingReason != null || filling.size() < maxSize) {
      return effects; // still filling, or already complete and waiting for room (nothing new)
    }
    fillingReason = Batch.Reason.SIZE;
    Effects<T> e = effects == null ? new Effects<>() : effects;
    cancelLinger(e);
    settle(e);
    refill(e);
    return e;
  }

  /** The feed ended and holds nothing more: the remainder becomes the END batch. */
  Effects<T> feedDrained() {
    if (phase != Phase.OPEN || !feed.drainedEnd()) {
      return null;
    }
    Effects<T> effects = new Effects<>();
    end(feed.failure(), effects);
    settle(effects);
    return effects;
  }

  /** Completes, after the feed's lock is released, what a direct transition collected. */
  void afterTransition(Effects<T> effects) {
    run(effects);
  }

  // ---- transitions (the lock is held) ------------------------------------------------------------

  /** Hands complete batches over to waiters or to {@code ready}; ends waiters once exhausted. */
  private void settle(Effects<T> effects) {
    while (true) {
      while (!waiters.isEmpty() && !ready.isEmpty()) {
        effects.deliver(waiters.poll(), Optional.of(ready.poll()));
      }
      if (fillingReason != null && (!waiters.isEmpty() || ready.size() < prefetch)) {
        Batch<T> batch = new Batch<>(filling, nextSequence++, fillingReason);
        filling = null;
        fillingReason = null;
        if (waiters.isEmpty()) {
          ready.add(batch);
        } else {
          effects.deliver(waiters.poll(), Optional.of(batch));
        }
        continue;
      }
      break;
    }
    if (isExhausted()) {
      while (!waiters.isEmpty()) {
        NextFuture<T> waiter = waiters.poll();
        if (phase == Phase.FAILED) {
          effects.fail(waiter, failure);
        } else {
          effects.deliver(waiter, Optional.empty());
        }
      }
      effects.exhausted = exhausted;
    }
  }

  private boolean isExhausted() {
    return phase != Phase.OPEN && ready.isEmpty() && filling == null;
  }

  /**
   * Adds polled items to the batch being filled; starts its linger or completes it by size. A
   * scheduler that refuses the linger timer fails the stream: the batch ends at once, and the failure
   * follows it, rather than a batch that no timer will ever complete.
   */
  private void receive(List<T> items, Effects<T> effects) {
    received += items.size();
    if (filling == null) {
      filling = newBatchList(items.size());
      filling.addAll(items);
      startLinger(effects);
    } else {
      filling.addAll(items);
    }
    completeIfFull(effects);
  }

  /**
   * The list of a new batch. Sized for a whole batch up to a cap, so that filling it does not
   * reallocate: its array is the only allocation the items cost.
   */
  private ArrayList<T> newBatchList(int firstItems) {
    if (spare != null) {
      ArrayList<T> list = spare;
      spare = null;
      return list;
    }
    return new ArrayList<>(Math.min(maxSize, Math.max(firstItems, 1024)));
  }

  /**
   * The batch being filled has just received its first items: its linger starts now. The timer is
   * armed once per batch, after the lock is released ({@link #armLinger}), because scheduling it may
   * wake the timer thread, and producers should not wait for that on the lock.
   */
  private void startLinger(Effects<T> effects) {
    if (maxWaitNanos == 0) {
      fillingReason = Batch.Reason.TIME;
      return;
    }
    effects.lingerEpoch = ++lingerEpoch;
    effects.lingerFrom = scheduler.nanoTime();
  }

  /**
   * Without the lock: schedules the linger a transition started, for what is left of maxWait, and
   * keeps its handle if that batch is still filling; otherwise (it completed or the iterator closed
   * meanwhile) cancels it. A scheduler that refuses the timer fails the stream after that batch.
   */
  private void armLinger(long epoch, long from) {
    long delay = maxWaitNanos - Math.max(0, scheduler.nanoTime() - from);
    Scheduler.Timer timer = null;
    RuntimeException refused = null;
    try {
      timer = Objects.requireNonNull(scheduler.schedule(() -> onLinger(epoch), delay),
          "the scheduler returned a null timer");
    } catch (RuntimeException e) {
      refused = e;
    }
    Effects<T> effects = null;
    lock.lock();
    try {
      if (epoch == lingerEpoch && filling != null && fillingReason == null) {
        if (refused == null) {
          linger = timer;
          timer = null;
        } else {
          effects = new Effects<>();
          end(refused, effects);
          settle(effects);
        }
      }
    } finally {
      lock.unlock();
    }
    if (timer != null) {
      timer.cancel();
    }
    if (effects != null) {
      run(effects);
    }
  }

  private void completeIfFull(Effects<T> effects) {
    if (fillingReason == null && filling.size() >= maxSize) {
      fillingReason = Batch.Reason.SIZE;
      cancelLinger(effects);
    }
  }

  /**
   * After a transition: makes sure items keep coming while the batch being filled has room. A polled
   * source gets a poll (made after the lock is released); a directly attached channel hands over its
   * buffered items here, in bulk, and its end once it is drained.
   */
  private void refill(Effects<T> effects) {
    if (!direct) {
      effects.mayPoll = canPoll();
      return;
    }
    while (phase == Phase.OPEN) {
      int room = room();
      if (room == 0) {
        return;
      }
      int buffered = feed.buffered();
      if (buffered == 0) {
        if (feed.drainedEnd()) {
          end(feed.failure(), effects);
          settle(effects);
        } else {
          feed.want(room, effects);
        }
        return;
      }
      int before;
      if (filling == null) {
        before = 0;
        filling = newBatchList(Math.min(room, buffered));
        feed.moveBuffered(filling, room, effects);
        startLinger(effects);
      } else {
        before = filling.size();
        feed.moveBuffered(filling, room, effects);
      }
      received += filling.size() - before;
      completeIfFull(effects);
      settle(effects);
    }
  }

  /** The source ended (error == null) or failed: the remainder becomes the END batch. */
  private void end(Throwable error, Effects<T> effects) {
    phase = error == null ? Phase.ENDED : Phase.FAILED;
    if (direct) {
      feed.detach();
    }
    failure = error;
    if (filling != null && fillingReason == null) {
      fillingReason = Batch.Reason.END;
      cancelLinger(effects);
    }
    effects.closeSource = !sourceClosed;
    sourceClosed = true;
  }

  /**
   * Cancels the linger, and drops a timer this transition was going to arm for it: a batch that
   * starts and completes in one transition (a full poll, a bulk move) never schedules a timer.
   */
  private void cancelLinger(Effects<T> effects) {
    cancelLinger();
    if (effects.lingerEpoch != lingerEpoch) {
      effects.lingerEpoch = 0;
    }
  }

  private void cancelLinger() {
    if (linger != null) {
      linger.cancel();
      linger = null;
    }
    lingerEpoch++;
  }

  /** Whether a poll should be made: open, none outstanding, and room in the batch being filled. */
  private boolean canPoll() {
    return phase == Phase.OPEN && !direct && poll.isIdle() && room() > 0;
  }

  private int room() {
    return filling == null ? maxSize : maxSize - filling.size();
  }

  // ---- events -------------------------------------------------------------------------------------

  private void onLinger(long epoch) {
    Effects<T> effects = new Effects<>();
    lock.lock();
    try {
      if (epoch != lingerEpoch || filling == null || fillingReason != null) {
        // Completed by size or end, or closed, while this timer was firing. (The handle may not be
        // stored yet: armLinger stores it after scheduling, and a short timer can fire first.)
        return;
      }
      linger = null;
      fillingReason = Batch.Reason.TIME;
      settle(effects);
      refill(effects);
    } finally {
      lock.unlock();
    }
    run(effects);
  }

  private void onPoll(CompletionStage<List<T>> polled, List<T> items, Throwable error) {
    Effects<T> effects = new Effects<>();
    lock.lock();
    try {
      if (!poll.completed(polled)) {
        return; // close() took this poll and its items
      }
      if (error != null) {
        end(unwrap(error), effects);
      } else if (items == null) {
        end(new IllegalStateException("the source completed poll(" + poll.requested()
            + ") with null instead of a list"), effects);
      } else if (items.size() > poll.requested()) {
        end(new IllegalStateException("the source returned " + items.size() + " items for poll("
            + poll.requested() + ")"), effects);
      } else if (items.isEmpty()) {
        end(null, effects);
      } else {
        receive(items, effects);
      }
      settle(effects);
      refill(effects);
    } finally {
      lock.unlock();
    }
    run(effects);
  }

  /** Completes what a transition collected, then polls if the transition made room. */
  private void run(Effects<T> effects) {
    effects.complete();
    if (effects.lingerEpoch != 0) {
      armLinger(effects.lingerEpoch, effects.lingerFrom);
    }
    if (effects.signalFeed) {
      feed.afterUnlock();
    }
    if (effects.closeSource) {
      closeSourceAtEnd();
    }
    if (effects.mayPoll) {
      pollWhileRoom();
    }
  }

  /**
   * Makes polls until none is needed. If a poll completes while its callback is being attached (at
   * once, on this thread, or concurrently on another), the follow-up poll is left to this loop rather
   * than made from inside the callback, so synchronous sources cannot grow the stack.
   */
  private void pollWhileRoom() {
    while (true) {
      int max;
      Effects<T> drained = null;
      lock.lock();
      try {
        if (!canPoll()) {
          return;
        }
        max = room();
        if (queue != null && !poll.isRegistering()) {
          drained = drainQueue(max);
        }
        if (drained == null && !poll.begin(max)) {
          return; // another thread is registering a poll's callback; it polls again
        }
      } finally {
        lock.unlock();
      }
      if (drained != null) {
        drained.mayPoll = false; // this loop goes on polling
        run(drained);
        continue;
      }
      CompletionStage<List<T>> polled;
      try {
        polled = Objects.requireNonNull(source.poll(max), "the source returned a null stage");
      } catch (RuntimeException | Error e) {
        polled = CompletableFuture.failedFuture(e);
      }
      boolean outstanding;
      lock.lock();
      try {
        outstanding = poll.returned(polled, phase == Phase.CLOSED);
        pollCallReturned.signalAll();
      } finally {
        lock.unlock();
      }
      if (!outstanding) {
        // Only when close() ran on this very thread from inside source.poll().
        cancelAndHarvest(polled);
        return;
      }
      CompletionStage<List<T>> registered = polled;
      polled.whenComplete((items, error) -> onPoll(registered, items, error));
      boolean again;
      lock.lock();
      try {
        again = poll.registered();
      } finally {
        lock.unlock();
      }
      if (!again) {
        return;
      }
    }
  }

  /**
   * The fast path of a {@link BatchSources#fromQueue} source (lock held): moves what the queue has
   * ready, up to {@code max}, straight into the batch being filled with one {@code drainTo}, with no
   * poll, future or intermediate list. Returns the transition's effects, or null when nothing was
   * ready (the caller then polls, and the source waits for an item on its executor).
   */
  private Effects<T> drainQueue(int max) {
    ArrayList<T> into = filling != null ? filling : spare != null ? spare : newBatchList(max);
    int moved = queue.drainReady(into, max);
    if (moved == 0) {
      if (into != filling) {
        spare = into; // kept for the next batch rather than allocated again
      }
      return null;
    }
    Effects<T> effects = new Effects<>();
    received += moved;
    if (into != filling) {
      spare = null;
      filling = into;
      startLinger(effects);
    }
    completeIfFull(effects);
    settle(effects);
    return effects;
  }

  /** The source's direct feed, if it has one: a channel, or a publisher or iterator adapter. */
  private static <T> DirectFeed<T> directFeedOf(BatchSource<T> source) {
    if (source instanceof BatchChannel<T> channel) {
      return channel.feed();
    } else if (source instanceof PublisherSource<T> publisher) {
      return publisher.feed();
    } else if (source instanceof IteratorSource<T> iterator) {
      return iterator.feed();
    }
    return null;
  }

  /** Attaches to a feed and takes what it holds, or starts polling any other source. */
  private void start() {
    if (feed != null) {
      Effects<T> effects = new Effects<>();
      lock.lock();
      try {
        direct = feed.attach(this);
        if (direct) {
          refill(effects);
        }
      } finally {
        lock.unlock();
      }
      if (direct) {
        run(effects);
        return;
      }
    }
    pollWhileRoom();
  }

  private void closeSourceAtEnd() {
    try {
      source.close();
    } catch (RuntimeException e) {
      // Nobody called us to hear about it: report it like an executor reports a failed task.
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
    }
  }

  /** Cancels a poll; if it had already completed with items, returns them. */
  private static <T> List<T> cancelAndHarvest(CompletionStage<List<T>> poll) {
    if (!(poll instanceof Future<?>)) {
      return List.of();
    }
    @SuppressWarnings("unchecked")
    Future<List<T>> future = (Future<List<T>>) poll;
    future.cancel(false);
    if (!future.isDone() || future.isCancelled()) {
      return List.of();
    }
    try {
      List<T> items = future.get();
      return items == null ? List.of() : items;
    } catch (ExecutionException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** What a transition decided; carried out after the lock is released. */
  static final class Effects<T> {
    private List<Delivery<T>> deliveries = List.of();
    private List<CompletableFuture<Void>> accepted = List.of();
    boolean mayPoll;
    boolean closeSource;
    /** The direct feed recorded calls to its producer (see {@link DirectFeed#want}). */
    boolean signalFeed;
    /** A batch started lingering: the epoch of its timer (0: none) and its start time. */
    long lingerEpoch;
    long lingerFrom;
    CompletableFuture<Void> exhausted;

    void deliver(NextFuture<T> waiter, Optional<Batch<T>> value) {
      add(new Delivery<>(waiter, value, null));
    }

    void fail(NextFuture<T> waiter, Throwable error) {
      add(new Delivery<>(waiter, null, error));
    }

    /** A channel sender whose item was admitted while the iterator moved buffered items. */
    void accepted(CompletableFuture<Void> send) {
      if (accepted.isEmpty()) {
        accepted = new ArrayList<>(2);
      }
      accepted.add(send);
    }

    private void add(Delivery<T> delivery) {
      if (deliveries.isEmpty()) {
        deliveries = new ArrayList<>(2);
      }
      deliveries.add(delivery);
    }

    void complete() {
      for (CompletableFuture<Void> send : accepted) {
        send.complete(null);
      }
      for (Delivery<T> delivery : deliveries) {
        if (delivery.error != null) {
          delivery.waiter.fail(delivery.error);
        } else {
          delivery.waiter.deliver(delivery.value);
        }
      }
      if (exhausted != null) {
        exhausted.complete(null);
      }
    }
  }

  /** One next() future and what it completes with: a value, or an error if non-null. */
  private record Delivery<T>(NextFuture<T> waiter, Optional<Batch<T>> value, Throwable error) {}

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
        throw new IllegalArgumentException("maxWait must be >= 0 (Duration.ZERO or longer), was "
            + maxWait);
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
     * Builds the iterator and starts polling the source on the calling thread.
     *
     * @return a new iterator
     */
    public BatchIterator<T> build() {
      BatchIterator<T> iterator = new BatchIterator<>(this);
      iterator.start();
      return iterator;
    }
  }
}
