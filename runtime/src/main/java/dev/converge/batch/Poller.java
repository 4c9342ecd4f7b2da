package dev.converge.batch;

import dev.converge.internal.Failures;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a {@link BatchIterator} reads a polled source (any source that does not feed it directly):
 * it keeps one poll outstanding while the batch being filled has room, asking for no more than
 * that room. {@link PollProtocol} tracks that poll; this class makes the calls. A {@link
 * DrainableSource} is first asked for the items it has ready, which saves the poll, its future and
 * its list.
 *
 * <p>{@code source.poll()} is called, and its completion callback attached, without the lock. The
 * completion arrives on whatever thread completes the stage, and becomes one transition of the
 * iterator: the items go into the batch by the iterator's one intake path, or the stream ends.
 *
 * <p><b>The poll/close handshake is kept whole in this class</b> ({@link #awaitPollCallReturned},
 * {@link #takeForClose} and the middle of {@link #pollSource}) rather than split between it and
 * the iterator, because its halves are only correct together: {@code close()} may withdraw the
 * poll only once {@code source.poll()} has returned its stage, so it waits on {@link
 * #callReturned} while another thread is inside that call; the polling thread, under the same
 * lock, signals it, and in the same critical section learns whether {@code close()} ran meanwhile
 * (then it cancels the stage itself, since nobody else will). A signal moved out of that section
 * hangs {@code close()}; a closed check moved out of it leaks a poll. Changing one half means
 * changing the other, so they are written side by side.
 *
 * <p>Guarded by the iterator's lock, which every method except {@link #pollWhileRoom}, {@link
 * #afterUnlock} and the static {@link #cancelAndHarvest} is called with.
 *
 * @param <T> the item type
 */
final class Poller<T> implements SourceReader<T> {

  private final BatchIterator<T> iterator;
  private final BatchSource<T> source;
  private final FillingBatch<T> filling;

  /** The source, when it can hand over ready items synchronously; otherwise null. */
  private final DrainableSource<T> drainable;

  private final ReentrantLock lock;

  /** Signalled when a {@code source.poll()} call returns; {@code close()} waits for it. */
  private final Condition callReturned;

  private final PollProtocol<T> protocol = new PollProtocol<>();

  Poller(
      BatchIterator<T> iterator,
      BatchSource<T> source,
      FillingBatch<T> filling,
      ReentrantLock lock) {
    this.iterator = iterator;
    this.source = source;
    this.filling = filling;
    this.drainable = source instanceof DrainableSource<T> d ? d : null;
    this.lock = lock;
    this.callReturned = lock.newCondition();
  }

  /** Whether a poll should be made: open, none being made or outstanding, and room for items. */
  private boolean canPoll() {
    return iterator.isOpen() && protocol.isIdle() && filling.room() > 0;
  }

  @Override
  public void refill(Transition transition) {
    transition.mayPoll = canPoll();
  }

  @Override
  public void afterUnlock(Transition transition) {
    if (transition.mayPoll) {
      pollWhileRoom();
    }
  }

  /** Nothing to stop: a poll made meanwhile finds the iterator no longer open. */
  @Override
  public void stop() {}

  @Override
  public void checkInvariants() {
    Invariants.require(
        !protocol.isIdle() || filling.room() == 0,
        "a polled source has a poll outstanding while the batch has room");
  }

  /**
   * Without the lock: makes polls until none is needed. If a poll completes while its callback is
   * being attached (at once, on this thread, or concurrently on another), the follow-up poll is
   * left to this loop rather than made from inside the callback, so synchronous sources cannot
   * grow the stack.
   */
  void pollWhileRoom() {
    while (true) {
      int max;
      Transition drained = null;
      lock.lock();
      try {
        if (!canPoll()) {
          return;
        }
        max = filling.room();
        if (drainable != null && !protocol.isRegistering()) {
          drained = drainReady(max);
        }
        if (drained == null && !protocol.begin(max)) {
          return; // another thread is registering a poll's callback; it polls again
        }
      } finally {
        lock.unlock();
      }
      if (drained != null) {
        drained.mayPoll = false; // this loop goes on polling
        iterator.afterUnlock(drained);
      } else if (!pollSource(max)) {
        return;
      }
    }
  }

  /**
   * Lock held: moves what a {@link DrainableSource} has ready, up to {@code max}, straight into the
   * batch being filled. Returns the transition, or null when nothing was ready (the caller then
   * polls, and the source waits for an item).
   */
  private Transition drainReady(int max) {
    int moved = drainable.drainReady(filling.intakeList(max), max);
    return moved == 0 ? null : iterator.intake(moved, new Transition());
  }

  /**
   * Without the lock, the poll begun: calls {@code source.poll(max)} and attaches the completion
   * callback. Returns whether another poll was wanted while the callback was being attached.
   */
  private boolean pollSource(int max) {
    CompletionStage<List<T>> polled;
    try {
      polled = Objects.requireNonNull(source.poll(max), "the source returned a null stage");
    } catch (RuntimeException | Error e) {
      polled = CompletableFuture.failedFuture(e);
    }
    boolean outstanding;
    lock.lock();
    try {
      outstanding = protocol.returned(polled, iterator.isClosed());
      callReturned.signalAll();
    } finally {
      lock.unlock();
    }
    if (!outstanding) {
      // Only when close() ran on this very thread from inside source.poll().
      cancelAndHarvest(polled);
      return false;
    }
    CompletionStage<List<T>> registered = polled;
    polled.whenComplete((items, error) -> completed(registered, items, error));
    lock.lock();
    try {
      return protocol.registered();
    } finally {
      lock.unlock();
    }
  }

  /** A poll's stage completed (on whatever thread completed it). */
  private void completed(CompletionStage<List<T>> polled, List<T> items, Throwable error) {
    Transition transition = new Transition();
    lock.lock();
    try {
      if (!protocol.completed(polled)) {
        return; // close() took this poll and its items
      }
      Throwable failure = failureOf(items, error);
      if (failure != null || items.isEmpty()) {
        iterator.end(failure, transition); // an empty list: the source ended
      } else {
        filling.intakeList(items.size()).addAll(items);
        iterator.intake(items.size(), transition);
      }
      iterator.refill(transition);
    } finally {
      lock.unlock();
    }
    iterator.afterUnlock(transition);
  }

  /** The failure a completed poll stands for, or null if it carried a list the iterator accepts. */
  private Throwable failureOf(List<T> items, Throwable error) {
    if (error != null) {
      return Failures.unwrap(error);
    } else if (items == null) {
      return new IllegalStateException(
          "the source completed poll(" + protocol.requested() + ") with null instead of a list");
    } else if (items.size() > protocol.requested()) {
      return new IllegalStateException(
          "the source returned " + items.size() + " items for poll(" + protocol.requested() + ")");
    }
    return null;
  }

  /**
   * close()'s half of the handshake, lock held: waits while another thread is inside {@code
   * source.poll()}, so that the poll can then be withdrawn. Returns early if the iterator is
   * closed meanwhile by a {@code close()} on another thread.
   */
  void awaitPollCallReturned() {
    while (protocol.isCallingElsewhere() && !iterator.isClosed()) {
      callReturned.awaitUninterruptibly();
    }
  }

  /**
   * close(), lock held, after {@link #awaitPollCallReturned}: withdraws the outstanding poll and
   * returns its stage, for close() to {@link #cancelAndHarvest} once the lock is released; or null.
   */
  CompletionStage<List<T>> takeForClose() {
    return protocol.takeForClose();
  }

  /** Cancels a poll; if it had already completed with items, returns them. */
  static <T> List<T> cancelAndHarvest(CompletionStage<List<T>> poll) {
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
}
