package dev.converge.batch;

import dev.converge.internal.AfterUnlock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded push channel: producers {@link #send} items into it, and it is a {@link BatchSource} that a
 * {@link BatchIterator} pulls from.
 *
 * <p>The channel holds at most {@code capacity} accepted items. {@link #send} accepts an item at once
 * when there is room and otherwise waits, without blocking the caller, until there is; waiting senders
 * are accepted in the order they called {@code send} (FIFO). {@link #put} waits in the same line, but
 * blocks the calling thread (a producer thread or a virtual thread) while it waits. {@link #trySend}
 * never waits.
 *
 * <p>{@link #complete()} and {@link #fail(Throwable)} end the stream after every item sent before them,
 * including items of senders still waiting for room: a consumer first takes all of those, then sees the
 * end (an empty poll) or the failure. Sending after the end is an {@link IllegalStateException}.
 *
 * <p><b>Threading.</b> The channel owns no threads. A {@link #poll} future and a {@link #send} future
 * are completed on the thread whose call made that possible: the sender, the {@code complete}/{@code
 * fail} caller, or the poller. No future is ever completed while the channel's lock is held. Actions of
 * a producer before {@code send} or {@code trySend} happen-before the actions of the consumer after the
 * poll that returns the item.
 *
 * <p><b>Cancellation.</b> Cancelling a pending {@link #poll} future withdraws it; items are handed to a
 * poll only while it is pending, and an item whose handover fails because the future was completed by
 * someone else goes back to the head of the channel, so no accepted item is ever lost. Cancelling a
 * {@link #send} stage has no effect on the channel: it is a minimal stage that only reports when the
 * item was accepted. A poll whose future was cancelled after items were already handed to it gives
 * them back to the head of the channel; a poller that cancels a poll and polls again at once, while
 * another thread is sending, may therefore see those items after later ones (a {@link BatchIterator}
 * cancels its poll only when it closes, so it never does).
 *
 * <p><b>Read by a {@link BatchIterator}.</b> An iterator built over the channel (when no poll is
 * pending and no other iterator reads it) becomes its only consumer and is fed directly: while the
 * batch it is assembling has room, {@code send} and {@code trySend} put the item straight into it,
 * under one lock shared with the iterator, allocating nothing per item; otherwise the item waits in
 * the channel and the iterator takes it, in bulk, when room appears. Meanwhile {@link #poll} throws
 * {@link IllegalStateException}; once the iterator ends or closes, polls work again (and return the
 * items the iterator never received). So a channel has one reader: a second iterator built over it
 * while the first reads it fails at once with that exception (and, owning its source, closes the
 * channel, which ends the first iterator's stream after the items already sent).
 *
 * <p>{@link #close()}, which a {@link BatchIterator} calls when it closes, ends the channel like
 * {@link #complete()} and in addition fails the futures of senders still waiting for room with an
 * {@link IllegalStateException} (their items are not accepted); items already accepted stay in the
 * channel and later polls still return them.
 *
 * @param <T> the item type
 */
public final class BatchChannel<T> extends DirectFeedSource<T> {

  /*
   * State, all guarded by `lock`:
   *   buffer        accepted items, at most `capacity`
   *   senders       sends waiting for room, FIFO; "sent" but not yet accepted
   *   polls         pending polls, FIFO; non-empty only while buffer is empty
   *   ended/failure set by complete()/fail()/close(); a poll sees the end once buffer and senders
   *                 are both empty
   * Transitions: an item moves senders -> buffer -> a poll's list. It moves back to the buffer head
   * only when the poll's future turns out to have been completed by someone else (cancelled).
   */
  /** What an accepted send returns: shared, completed, unchangeable, its own future. */
  private static final CompletableFuture<Void> ACCEPTED = AcceptedStage.INSTANCE;

  /**
   * Guards the channel; shared with the {@link BatchIterator} the channel feeds directly (see {@link
   * #feeds}), so that moving an item into a batch takes this one lock once.
   */
  final ReentrantLock lock = new ReentrantLock();

  private final int capacity;
  private final ArrayDeque<T> buffer = new ArrayDeque<>();
  private final ArrayDeque<PendingSend<T>> senders = new ArrayDeque<>();
  private final ArrayDeque<PendingPoll<T>> polls = new ArrayDeque<>();
  private boolean ended;
  private Throwable failure;

  /**
   * The reader of the iterator this channel feeds directly, or null. While set, the iterator is the
   * channel's only consumer: a sent item goes straight into the batch it is assembling when that
   * batch has room (no poll, no future, no list per item), and otherwise waits in {@code buffer},
   * from which the iterator moves items in bulk as room appears. So {@code buffer} is non-empty
   * only while the iterator has no room.
   */
  private FeedReader<T> reader;

  private BatchChannel(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Creates a channel that holds at most {@code capacity} accepted items.
   *
   * @param capacity the most items the channel holds, at least 1
   * @param <T> the item type
   * @return a new, empty channel
   * @throws IllegalArgumentException if {@code capacity} is not in 1..{@link Integer#MAX_VALUE}
   */
  public static <T> BatchChannel<T> bounded(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "capacity must be in 1.." + Integer.MAX_VALUE + ", was " + capacity);
    }
    return new BatchChannel<>(capacity);
  }

  /**
   * Sends an item: accepts it at once if there is room and no sender waits ahead of it, otherwise
   * queues it behind earlier waiting senders until there is room.
   *
   * @param item the item; not null
   * @return a stage the caller cannot complete, cancel or otherwise change, that completes when the
   *     item has been accepted, at once if there was room; or exceptionally with {@link
   *     IllegalStateException} if the channel has ended, or is closed before the item was accepted.
   *     For an item accepted at once it is one shared, completed stage, which is its own {@link
   *     CompletionStage#toCompletableFuture() toCompletableFuture()} (whose {@code complete}, {@code
   *     cancel} and the like do nothing, and whose {@code obtrude} methods throw {@link
   *     UnsupportedOperationException}): so {@code send(item).toCompletableFuture().join()}
   *     allocates nothing. For a waiting item it is a minimal stage.
   * @throws NullPointerException if {@code item} is null
   */
  public CompletionStage<Void> send(T item) {
    CompletableFuture<Void> stage = offer(item, true);
    return stage == ACCEPTED ? stage : stage.minimalCompletionStage();
  }

  /**
   * Sends an item, blocking the calling thread (a producer thread, or a virtual thread) while the
   * channel is full: accepts it at once if there is room and no sender waits ahead of it, otherwise
   * waits in line with the senders of {@link #send}, in call order. An item accepted at once costs
   * no allocation, and then the thread's interrupt status is not looked at.
   *
   * @param item the item; not null
   * @throws InterruptedException if the thread is interrupted while it waits for room; the item is
   *     then not accepted (it is not in the channel and never will be), and nothing else is lost
   * @throws NullPointerException if {@code item} is null
   * @throws IllegalStateException if the channel has ended, or is closed before the item was
   *     accepted (the item is then not accepted)
   */
  public void put(T item) throws InterruptedException {
    CompletableFuture<Void> stage = offer(item, true);
    if (stage == ACCEPTED) {
      return;
    }
    if (stage.isCompletedExceptionally()) {
      throw endedError(); // the channel has ended: what send reports in its stage, thrown
    }
    PendingSend.await(stage, lock, senders);
  }

  /**
   * Accepts an item if there is room right now and no sender waits ahead of it.
   *
   * @param item the item; not null
   * @return {@code true} if the item was accepted, {@code false} if the channel is full
   * @throws NullPointerException if {@code item} is null
   * @throws IllegalStateException if the channel has ended
   */
  public boolean trySend(T item) {
    return offer(item, false) != null;
  }

  /**
   * The one path by which an item enters the channel, for {@link #send}, {@link #put} and {@link
   * #trySend}. If
   * the item cannot be accepted at once, {@code queueIfFull} decides: queue it behind the waiting
   * senders (and report an ended channel through the returned future), or give up (and throw).
   *
   * @return {@link #ACCEPTED} if the item was accepted at once; the pending send's future if it was
   *     queued; a failed stage if the channel has ended and {@code queueIfFull}; {@code null} if the
   *     channel is full and not {@code queueIfFull}
   * @throws IllegalStateException if the channel has ended and not {@code queueIfFull}
   */
  private CompletableFuture<Void> offer(T item, boolean queueIfFull) {
    Objects.requireNonNull(item, "item");
    AfterUnlock after;
    Transition direct = null;
    FeedReader<T> reader;
    lock.lock();
    try {
      if (ended) {
        if (!queueIfFull) {
          throw endedError();
        }
        return CompletableFuture.failedFuture(endedError());
      }
      if (!senders.isEmpty() || buffer.size() >= capacity) {
        if (!queueIfFull) {
          return null;
        }
        PendingSend<T> pending = new PendingSend<>(item);
        senders.add(pending);
        return pending.accepted;
      }
      reader = this.reader;
      if (reader != null && buffer.isEmpty() && reader.hasRoom()) {
        // The fast path: into the batch being assembled; a transition only when that starts or
        // completes it.
        direct = reader.receiveOne(item);
        after = null;
      } else {
        buffer.add(item);
        after = takeForPolls(null);
      }
    } finally {
      lock.unlock();
    }
    if (direct != null) {
      reader.carryOut(direct);
    }
    run(after);
    return ACCEPTED;
  }

  /**
   * Ends the stream once every item sent so far has been taken: polls then complete with an empty
   * list. Idempotent; has no effect once the channel has ended.
   */
  public void complete() {
    end(null, false);
  }

  /**
   * Fails the stream once every item sent so far has been taken: polls then complete exceptionally
   * with {@code error}. Has no effect once the channel has ended.
   *
   * @param error the failure; not null
   * @throws NullPointerException if {@code error} is null
   */
  public void fail(Throwable error) {
    Objects.requireNonNull(error, "error");
    end(error, false);
  }

  /**
   * Ends the channel like {@link #complete()} (if it has not ended yet) and fails the stages of senders
   * still waiting for room with an {@link IllegalStateException}; their items are not accepted. Items
   * already accepted stay available to {@link #poll}. Idempotent.
   */
  @Override
  public void close() {
    end(null, true);
  }

  /**
   * Takes up to {@code max} items: completes at once if the channel holds any, otherwise when one is
   * sent, or with an empty list (or the failure) once the channel has ended and is drained.
   *
   * @param max the most items to return, at least 1
   * @return a future completing with 1..{@code max} items in send order, an empty list at the end, or
   *     exceptionally with the error given to {@link #fail}; cancel it to withdraw the poll
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws IllegalStateException if a {@link BatchIterator} reads this channel (until it closes)
   */
  @Override
  public CompletionStage<List<T>> poll(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be in 1.." + Integer.MAX_VALUE + ", was " + max);
    }
    PendingPoll<T> pending = new PendingPoll<>(max);
    AfterUnlock after;
    boolean waiting;
    lock.lock();
    try {
      if (reader != null) {
        throw new IllegalStateException(
            "this channel feeds a BatchIterator, which is its only consumer until it closes");
      }
      polls.add(pending);
      after = takeForPolls(null);
      waiting = !pending.assigned;
    } finally {
      lock.unlock();
    }
    if (waiting) {
      // Withdraw the poll as soon as its future is cancelled, so abandoned polls do not pile up
      // while
      // the channel is idle. Harmless if the poll is assigned items in the meantime.
      pending.future().whenComplete((items, error) -> withdraw(pending));
    }
    run(after);
    return pending.future();
  }

  private void withdraw(PendingPoll<T> pending) {
    lock.lock();
    try {
      polls.remove(pending);
    } finally {
      lock.unlock();
    }
  }

  private void end(Throwable error, boolean rejectWaitingSenders) {
    AfterUnlock after = new AfterUnlock();
    Transition direct = null;
    FeedReader<T> reader;
    lock.lock();
    try {
      if (!ended) {
        ended = true;
        failure = error;
      }
      PendingSend<T> rejected;
      while (rejectWaitingSenders && (rejected = senders.poll()) != null) {
        after.fail(
            rejected.accepted,
            new IllegalStateException("the channel was closed before this item could be accepted"));
      }
      reader = this.reader;
      if (reader != null && buffer.isEmpty()) {
        direct = reader.feedDrained(); // else the iterator sees the end when it drains buffer
      }
      takeForPolls(after);
    } finally {
      lock.unlock();
    }
    if (direct != null) {
      reader.carryOut(direct); // with an iterator attached, `after` holds nothing
    }
    after.run();
  }

  private static IllegalStateException endedError() {
    return new IllegalStateException("the channel has ended; no more items can be sent");
  }

  /**
   * Under the lock: moves waiting senders into free room and assigns items (or the end) to pending
   * polls. Records the completions this calls for in {@code after}, made if null and needed, and
   * returns it: a send that no poll waits for allocates nothing.
   */
  private AfterUnlock takeForPolls(AfterUnlock after) {
    while (true) {
      after = admitWaitingSenders(after);
      PendingPoll<T> poll = polls.peek();
      if (poll == null) {
        return after;
      }
      if (!poll.isLive()) {
        polls.poll();
        continue;
      }
      if (!buffer.isEmpty()) {
        polls.poll();
        List<T> items = new ArrayList<>(Math.min(poll.max, buffer.size()));
        PendingPoll.takeFirst(buffer, items, poll.max);
        poll.assigned = true;
        PendingPoll<T> assigned = poll;
        after = orNew(after);
        after.add(() -> deliverOrGiveBack(assigned, items));
      } else if (ended && senders.isEmpty()) {
        Throwable end = failure;
        while ((poll = polls.poll()) != null) {
          poll.assigned = true;
          PendingPoll<T> assigned = poll;
          after = orNew(after);
          after.add(() -> assigned.end(end));
        }
        return after;
      } else {
        return after;
      }
    }
  }

  private AfterUnlock admitWaitingSenders(AfterUnlock after) {
    while (buffer.size() < capacity && !senders.isEmpty()) {
      PendingSend<T> send = senders.poll();
      buffer.add(send.item);
      after = orNew(after);
      after.complete(send.accepted, null);
    }
    return after;
  }

  private static AfterUnlock orNew(AfterUnlock after) {
    return after != null ? after : new AfterUnlock();
  }

  private static void run(AfterUnlock after) {
    if (after != null) {
      after.run();
    }
  }

  /** Without the lock: hands items to a poll, or back to the channel if it was cancelled first. */
  private void deliverOrGiveBack(PendingPoll<T> poll, List<T> items) {
    if (!poll.deliver(items)) {
      AfterUnlock after;
      lock.lock();
      try {
        PendingPoll.giveBack(buffer, items); // to the head, in order
        after = takeForPolls(null);
      } finally {
        lock.unlock();
      }
      run(after);
    }
  }

  /** This channel as a {@link DirectFeed}: how a {@link BatchIterator} built over it reads it. */
  @Override
  DirectFeed<T> directFeed() {
    return new DirectFeed<>() {
      @Override
      public ReentrantLock lock() {
        return lock;
      }

      @Override
      public boolean attach(FeedReader<T> reader) {
        return BatchChannel.this.attach(reader);
      }

      @Override
      public void detach() {
        BatchChannel.this.detach();
      }

      @Override
      public int buffered() {
        return buffer.size();
      }

      @Override
      public boolean drainedEnd() {
        return BatchChannel.this.drainedEnd();
      }

      @Override
      public Throwable failure() {
        return failure;
      }

      @Override
      public int moveBuffered(List<T> into, int max, Transition transition) {
        return BatchChannel.this.moveBuffered(into, max, transition);
      }

      @Override
      public boolean want(int room) {
        return false; // producers push; there is no one to ask
      }

      @Override
      public void afterUnlock() {}
    };
  }

  /**
   * Makes {@code reader} (an iterator's side of the feed) this channel's only consumer, if nobody
   * else is: no other iterator is attached and no poll is pending. The iterator then pulls buffered
   * items with {@link #moveBuffered} and is handed sent items with {@link FeedReader#receiveOne}.
   */
  private boolean attach(FeedReader<T> reader) {
    if (this.reader != null) {
      return false;
    }
    for (PendingPoll<T> poll : polls) {
      if (poll.isLive()) {
        return false;
      }
    }
    polls.clear();
    this.reader = reader;
    return true;
  }

  /** The iterator stops consuming (it ended or closed); polls work again. */
  private void detach() {
    reader = null;
  }

  /** Whether the stream has ended and every item sent before the end has been taken. */
  private boolean drainedEnd() {
    return ended && buffer.isEmpty() && senders.isEmpty();
  }

  /**
   * Moves up to {@code max} buffered items, oldest first, into {@code into}, admitting waiting
   * senders into the room this frees; their stages complete through {@code transition}.
   */
  private int moveBuffered(List<T> into, int max, Transition transition) {
    int moved = PendingPoll.takeFirst(buffer, into, max);
    if (!senders.isEmpty()) {
      admitWaitingSenders(transition.completions());
    }
    return moved;
  }
}
