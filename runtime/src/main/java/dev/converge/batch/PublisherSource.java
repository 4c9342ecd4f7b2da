package dev.converge.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BatchSource} reading a {@link Flow.Publisher} with bounded demand: the adapter behind
 * {@link BatchSources#fromPublisher(Flow.Publisher)}.
 *
 * <p>It subscribes on the first poll. Each poll tops demand up so that items buffered plus items
 * requested and not yet received reach that poll's {@code max}, and never requests when they already
 * do; so at most the largest {@code max} passed to {@link #poll(int)} is ever held or in flight.
 * Items that arrive while no poll waits are buffered for the next one.
 *
 * <p>All state is guarded by {@link #lock}, which is never held while calling the publisher, the
 * subscription or a dependent of a poll's future. A poll's future is completed outside the lock by
 * the single thread that claimed it ({@link #delivering}): while one thread is handing items to a
 * future, no other thread takes items from the buffer, so when the future turns out to be cancelled
 * the items go back to the head of the buffer in their order and nothing is lost or reordered.
 *
 * <p>Calls to the subscription are serialized the same way (Reactive Streams rule 2.7): recorded
 * under the lock and sent outside it by one thread at a time ({@link SubscriptionSignals}).
 *
 * @param <T> the item type
 */
final class PublisherSource<T> extends DirectFeedSource<T> {

  private final Flow.Publisher<T> publisher;
  private final Subscriber subscriber = new Subscriber();
  private final ReentrantLock lock = new ReentrantLock();

  /** The calls to the subscription; a request that throws fails the stream. */
  private final SubscriptionSignals signals = new SubscriptionSignals(lock, e -> end(e, true));

  // Everything below is guarded by lock.

  /** Received and not yet handed to a poll, in arrival order. */
  private final ArrayDeque<T> buffer = new ArrayDeque<>();

  /** True once publisher.subscribe has been called (on the first poll); it is called once. */
  private boolean subscribeCalled;

  /** Items requested and not yet received; never negative, at most the largest max polled. */
  private long outstanding;

  /** The max of the latest poll: the demand target when onSubscribe arrives after the poll. */
  private int demandTarget;

  /** The publisher signalled onComplete or onError, or broke the protocol: no more items. */
  private boolean ended;

  /** Why the stream failed; delivered once the buffer is drained. Null when it did not fail. */
  private Throwable failure;

  /** close() was called: polls return what is buffered, then an empty list. */
  private boolean closed;

  /** The poll waiting for items, or null. A done (cancelled) one is treated as absent. */
  private PendingPoll<T> pending;

  /** A thread is completing a claimed poll outside the lock; nobody else takes from the buffer. */
  private boolean delivering;

  /**
   * The reader of the iterator this source feeds directly (see {@link DirectFeed}), or null. While
   * set, an item that arrives while the iterator's batch has room and nothing is buffered goes
   * straight into that batch, and demand follows the batch's room instead of polls.
   */
  private FeedReader<T> reader;

  /** A direct iterator wants items before the first poll: subscribe once the lock is released. */
  private boolean subscribeWanted;

  PublisherSource(Flow.Publisher<T> publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  @Override
  public CompletionStage<List<T>> poll(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    CompletableFuture<List<T>> result;
    boolean subscribeNow;
    lock.lock();
    try {
      if (reader != null) {
        throw new IllegalStateException("this source feeds a BatchIterator directly");
      }
      PendingPoll.requireNoLivePoll(pending);
      pending = null;
      if (!delivering && (!buffer.isEmpty() || isOver())) {
        // Fast path: answered here, on the caller's thread.
        result = buffer.isEmpty() ? endOfStream() : CompletableFuture.completedFuture(take(max));
      } else {
        pending = new PendingPoll<>(max);
        result = pending.future();
      }
      subscribeNow = demand(max);
    } finally {
      lock.unlock();
    }
    subscribeOrSignal(subscribeNow);
    return result;
  }

  /**
   * Cancels the subscription (or the one still to arrive), and completes a pending poll with an empty
   * list. Items already received stay buffered: later polls return them, then an empty list.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      signals.cancel();
    } finally {
      lock.unlock();
    }
    signals.send();
    deliver();
  }

  /**
   * Outside the lock: subscribes if this caller claimed the first subscription, otherwise sends
   * whatever demand or cancellation was recorded.
   */
  private void subscribeOrSignal(boolean subscribeNow) {
    if (subscribeNow) {
      subscribe();
    } else {
      signals.send();
    }
  }

  private void subscribe() {
    try {
      publisher.subscribe(subscriber);
    } catch (RuntimeException e) {
      // Rule 1.9 says subscribe returns normally; a publisher that throws has failed the stream.
      end(e, false);
    }
  }

  /**
   * Demand now follows a poll of {@code target} items (or a direct iterator's room): records what
   * tops it up. Returns true if this is the first demand, and the caller must subscribe once it has
   * released the lock. Holds lock.
   */
  private boolean demand(int target) {
    demandTarget = target;
    if (isOver()) {
      return false;
    } else if (!subscribeCalled) {
      subscribeCalled = true;
      return true;
    } else if (signals.isSubscribed()) {
      topUpDemand();
    }
    return false;
  }

  /** Records demand that brings buffered plus outstanding up to the demand target. Holds lock. */
  private void topUpDemand() {
    long deficit = (long) demandTarget - buffer.size() - outstanding;
    if (deficit > 0) {
      outstanding += deficit;
      signals.request(deficit);
    }
  }

  /** No more items will be buffered that a poll could wait for. Holds lock. */
  private boolean isOver() {
    return ended || closed;
  }

  /**
   * What a poll gets once the buffer is drained and the stream is over: the failure, or null for an
   * empty list. After close it is always an empty list. Holds lock.
   */
  private Throwable endFailure() {
    return closed ? null : failure;
  }

  /** A stage already answered with the end of the stream. Holds lock. */
  private CompletableFuture<List<T>> endOfStream() {
    Throwable error = endFailure();
    return error != null
        ? CompletableFuture.failedFuture(error)
        : CompletableFuture.completedFuture(List.of());
  }

  /** Removes up to max items from the head of the buffer. Holds lock. */
  private List<T> take(int max) {
    List<T> items = new ArrayList<>(Math.min(max, buffer.size()));
    PendingPoll.takeFirst(buffer, items, max);
    return Collections.unmodifiableList(items);
  }

  /**
   * Ends the stream, normally if {@code error} is null (unless it already ended), cancels the
   * subscription if asked, and answers a pending poll once the buffer is drained.
   */
  private void end(Throwable error, boolean cancel) {
    Transition direct;
    FeedReader<T> reader;
    lock.lock();
    try {
      if (!ended) {
        ended = true;
        failure = error;
      }
      if (cancel) {
        signals.cancel();
      }
      reader = this.reader;
      direct = reader != null && buffer.isEmpty() ? reader.feedDrained() : null;
    } finally {
      lock.unlock();
    }
    if (direct != null) {
      reader.carryOut(direct);
    }
    if (cancel) {
      signals.send();
    }
    deliver();
  }

  /**
   * Hands items (or the end of the stream) to the pending poll, if it can be answered. Only one
   * thread delivers at a time; the others leave the work to it, and it looks again after each
   * hand-over, so a poll registered meanwhile is answered too.
   */
  private void deliver() {
    while (true) {
      PendingPoll<T> target;
      List<T> items;
      Throwable error = null;
      lock.lock();
      try {
        if (delivering) {
          return;
        }
        if (!PendingPoll.isLive(pending)) {
          pending = null; // none, or cancelled: its items stay buffered for the next one
          return;
        }
        if (buffer.isEmpty() && !isOver()) {
          return;
        }
        target = pending;
        pending = null;
        delivering = true;
        items = buffer.isEmpty() ? null : take(target.max);
        if (items == null) {
          error = endFailure();
        }
      } finally {
        lock.unlock();
      }
      boolean delivered = false;
      try {
        if (items != null) {
          delivered = target.deliver(items);
        } else {
          // The end of the stream is not an item: nothing to put back if the poll is gone.
          delivered = true;
          target.end(error);
        }
      } finally {
        lock.lock();
        try {
          delivering = false;
          if (!delivered) {
            // The poll was cancelled (or completed from outside) after we claimed it.
            PendingPoll.giveBack(buffer, items);
          }
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** This source as a {@link DirectFeed}: how a {@link BatchIterator} built over it reads it. */
  @Override
  DirectFeed<T> directFeed() {
    return new Feed();
  }

  /** The {@link DirectFeed} view of this source: its state is the source's own. */
  private final class Feed implements DirectFeed<T> {

    @Override
    public ReentrantLock lock() {
      return lock;
    }

    @Override
    public boolean attach(FeedReader<T> reader) {
      if (PublisherSource.this.reader != null || PendingPoll.isLive(pending)) {
        return false;
      }
      PublisherSource.this.reader = reader;
      return true;
    }

    @Override
    public void detach() {
      reader = null;
    }

    @Override
    public int buffered() {
      return buffer.size();
    }

    @Override
    public boolean drainedEnd() {
      return isOver() && buffer.isEmpty();
    }

    @Override
    public Throwable failure() {
      return endFailure();
    }

    @Override
    public int moveBuffered(List<T> into, int max, Transition transition) {
      return PendingPoll.takeFirst(buffer, into, max);
    }

    @Override
    public boolean want(int room) {
      if (isOver()) {
        return false;
      }
      // What a poll of `room` would ask for: items buffered plus requested reach the room.
      boolean first = demand(room);
      subscribeWanted |= first;
      return first || signals.hasRequests();
    }

    @Override
    public void afterUnlock() {
      boolean subscribeNow;
      lock.lock();
      try {
        subscribeNow = subscribeWanted;
        subscribeWanted = false;
      } finally {
        lock.unlock();
      }
      subscribeOrSignal(subscribeNow);
    }
  }

  /** Receives the publisher's signals; a separate object so the source exposes no onNext. */
  private final class Subscriber implements Flow.Subscriber<T> {

    @Override
    public void onSubscribe(Flow.Subscription s) {
      Objects.requireNonNull(s, "subscription"); // rule 2.13
      boolean reject;
      lock.lock();
      try {
        // Rule 2.5: a second subscription is cancelled; so is one arriving after close.
        reject = signals.isSubscribed() || isOver();
        if (!reject) {
          signals.subscribed(s);
          topUpDemand();
        }
      } finally {
        lock.unlock();
      }
      if (reject) {
        try {
          s.cancel();
        } catch (RuntimeException ignored) {
          // Rule 3.15 says cancel returns normally; this subscription is not ours either way.
        }
      } else {
        signals.send();
      }
    }

    @Override
    public void onNext(T item) {
      if (item == null) {
        violation(
            new NullPointerException(
                "the publisher signalled onNext(null), which Reactive Streams rule 2.13 forbids"));
        throw new NullPointerException("item"); // rule 2.13
      }
      boolean tooMany;
      FeedReader<T> reader;
      Transition direct = null;
      lock.lock();
      try {
        if (ended) {
          return; // a signal after the end is ignored
        }
        reader = PublisherSource.this.reader;
        tooMany = outstanding == 0;
        if (!tooMany) {
          outstanding--;
          if (reader != null && buffer.isEmpty() && reader.hasRoom()) {
            direct = reader.receiveOne(item); // straight into the batch being assembled
          } else {
            // Kept even after close: it was requested, so it is the caller's, for later polls.
            buffer.add(item);
          }
        }
      } finally {
        lock.unlock();
      }
      if (tooMany) {
        violation(
            new IllegalStateException(
                "the publisher signalled more items than requested (Reactive Streams rule 1.1)"));
      } else if (direct != null) {
        reader.carryOut(direct);
      } else if (reader == null) {
        deliver();
      }
    }

    @Override
    public void onError(Throwable error) {
      if (error == null) {
        violation(
            new NullPointerException(
                "the publisher signalled onError(null), which Reactive Streams rule 2.13 forbids"));
        throw new NullPointerException("error"); // rule 2.13
      }
      end(error, false);
    }

    @Override
    public void onComplete() {
      end(null, false);
    }

    private void violation(RuntimeException error) {
      end(error, true);
    }
  }
}
