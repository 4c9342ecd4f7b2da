package dev.converge.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BatchSource} draining a {@link BlockingQueue}: the adapter behind
 * {@link BatchSources#fromQueue(BlockingQueue, Executor)}.
 *
 * <p>A poll that finds items ready drains them on the caller's thread. Otherwise a worker task on
 * the executor blocks in {@code take()} for the first item, drains up to {@code max - 1} more and
 * completes the poll. The worker is the only reader of the queue and of {@link #kept} while it runs
 * ({@link #working}); a poll arriving meanwhile waits for it to answer, so items leave the queue in
 * one order and reach polls in that order.
 *
 * <p>Items the worker took for a poll that was cancelled go to {@link #kept}, ahead of the queue,
 * for the next poll. Nothing is read ahead: the queue is only read for a poll that waits.
 *
 * @param <T> the item type
 */
final class QueueSource<T> implements DrainableSource<T> {

  private final BlockingQueue<T> queue;
  private final Executor executor;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.

  /** Taken from the queue and not delivered, in order; they come before anything in the queue. */
  private final ArrayDeque<T> kept = new ArrayDeque<>();

  /** The poll waiting for items, or null. A done (cancelled) one is treated as absent. */
  private PendingPoll<T> pending;

  /** A worker task is scheduled or running; while it is, only it reads the queue and kept. */
  private boolean working;

  /**
   * The worker's thread while a worker runs. Code it calls back (the iterator's reaction to a poll it
   * completes) may read the queue on it: the worker is not reading then, so there is still one reader.
   */
  private Thread worker;

  /** The worker's thread while it blocks in take(); close() interrupts it. */
  private Thread taker;

  /** close() was called: the queue is no longer read. */
  private boolean closed;

  /**
   * The queue failed: a blocked take was interrupted from outside, or take/drainTo threw. Polls
   * return the kept items, then fail with this, forever; the queue is not read again.
   */
  private Throwable failure;

  QueueSource(BlockingQueue<T> queue, Executor executor) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public CompletionStage<List<T>> poll(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    PendingPoll<T> result;
    lock.lock();
    try {
      PendingPoll.requireNoLivePoll(pending);
      pending = null;
      if (!working) {
        // Fast path: kept items, then whatever the queue has ready, on the caller's thread.
        List<T> items = takeReady(max);
        if (!items.isEmpty() || closed) {
          return CompletableFuture.completedFuture(items);
        }
        if (failure != null) {
          return CompletableFuture.failedFuture(failure);
        }
      }
      result = new PendingPoll<>(max);
      pending = result;
      if (working) {
        return result.future(); // the running worker answers it
      }
      working = true;
    } finally {
      lock.unlock();
    }
    try {
      executor.execute(this::work);
    } catch (RuntimeException e) { // RejectedExecutionException, or any executor that throws
      lock.lock();
      try {
        working = false;
        pending = null;
      } finally {
        lock.unlock();
      }
      result.end(e);
    }
    return result.future();
  }

  /**
   * Stops reading the queue: interrupts a worker blocked in {@code take()} and completes a pending
   * poll with an empty list. Items taken and not delivered stay here; later polls return them, then
   * an empty list. Items still in the queue stay there.
   */
  @Override
  public void close() {
    PendingPoll<T> toEnd = null;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (taker != null) {
        taker.interrupt();
      }
      if (pending != null) {
        // Answered here, not by the worker, which may still be queued in the executor. Items the
        // worker has taken and not yet handed over stay in kept for later polls.
        toEnd = pending;
        pending = null;
      }
    } finally {
      lock.unlock();
    }
    if (toEnd != null) {
      toEnd.end(null);
    }
  }

  /**
   * The {@link BatchIterator}'s fast path, called with the iterator's lock held: moves up to {@code
   * max} items, kept ones first and then what the queue has ready (one {@code drainTo}), into {@code
   * into}, which is the batch being filled. Returns how many it moved: 0 when nothing is ready, or
   * when a worker on another thread owns the queue, or the source is closed or failed; the iterator
   * then polls as usual, which reports the failure or waits for an item. A {@code drainTo} that
   * throws fails the source, after the items it moved.
   */
  @Override
  public int drainReady(List<T> into, int max) {
    lock.lock();
    try {
      boolean otherReader = working && worker != Thread.currentThread();
      if (otherReader || closed || failure != null || PendingPoll.isLive(pending)) {
        return 0;
      }
      int before = into.size();
      while (into.size() - before < max && !kept.isEmpty()) {
        into.add(kept.poll());
      }
      int moved = into.size() - before;
      if (moved < max) {
        try {
          queue.drainTo(into, max - moved);
        } catch (RuntimeException | Error e) {
          failure = e;
        }
      }
      return into.size() - before;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes up to max items: kept ones first, then, in one {@code drainTo}, ready ones from the queue
   * unless it is over. A {@code drainTo} that throws fails the source; the items it moved before
   * throwing are returned first. Holds lock.
   */
  private List<T> takeReady(int max) {
    List<T> items = new ArrayList<>(Math.min(max, 64));
    while (items.size() < max && !kept.isEmpty()) {
      items.add(kept.poll());
    }
    if (items.size() < max && !closed && failure == null) {
      try {
        queue.drainTo(items, max - items.size());
      } catch (RuntimeException | Error e) {
        failure = e;
      }
    }
    return Collections.unmodifiableList(items);
  }

  /**
   * The worker: answers polls until none waits, blocking in take() when nothing is ready. Runs on
   * the executor; only one runs at a time.
   */
  private void work() {
    lock.lock();
    try {
      worker = Thread.currentThread();
    } finally {
      lock.unlock();
    }
    while (true) {
      PendingPoll<T> target;
      List<T> items;
      Throwable error;
      boolean answer;
      lock.lock();
      try {
        if (!PendingPoll.isLive(pending)) {
          pending = null; // none, or cancelled: whatever was taken for it is kept for the next poll
          working = false;
          worker = null;
          return;
        }
        target = pending;
        items = takeReady(target.max);
        error = items.isEmpty() && !closed ? failure : null; // drainTo threw before moving any
        // Once closed nothing more will come; once failed, the failure is the answer.
        answer = !items.isEmpty() || closed || error != null;
        if (answer) {
          pending = null;
        } else {
          taker = Thread.currentThread();
        }
      } finally {
        lock.unlock();
      }
      if (error != null) {
        target.end(error);
        continue; // the next turn finds no poll (or a new one, which it fails the same way)
      }
      if (answer) {
        if (!target.deliver(items) && !items.isEmpty()) {
          putBack(items); // cancelled after we claimed it; still the only reader, so order holds
        }
        continue;
      }
      if (!awaitItem()) {
        return;
      }
    }
  }

  /**
   * The worker, nothing ready for the poll it serves: blocks in take() for the next item, which it
   * keeps for the next turn of {@link #work}. Returns false if the queue failed (take() was
   * interrupted from outside, or threw) and the worker has stopped.
   */
  private boolean awaitItem() {
    T first = null;
    Throwable thrown = null;
    try {
      first = queue.take();
      if (first == null) {
        thrown = new NullPointerException("the queue's take() returned null");
      }
    } catch (InterruptedException | RuntimeException | Error e) {
      thrown = e;
    }
    PendingPoll<T> toFail = null;
    boolean closedMeanwhile;
    lock.lock();
    try {
      taker = null;
      closedMeanwhile = closed;
      if (thrown == null) {
        kept.add(first); // the next turn hands it, and what is ready after it, to the poll
      } else if (!closedMeanwhile) {
        // Interrupted from outside (e.g. by shutdownNow()), or the queue threw: fail the
        // waiting poll and stop; the queue is not read again.
        failure = thrown;
        toFail = PendingPoll.isLive(pending) ? pending : null;
        pending = null;
        working = false;
        worker = null;
      }
    } finally {
      lock.unlock();
    }
    if (closedMeanwhile) {
      Thread.interrupted(); // close()'s interrupt must not leak into the executor's next task
    } else if (thrown != null) {
      if (thrown instanceof InterruptedException) {
        Thread.currentThread().interrupt(); // not ours: keep it for the executor
      }
      if (toFail != null) {
        toFail.end(thrown);
      }
      return false;
    }
    return true;
  }

  /** Returns items a cancelled poll did not take to the head of kept, in their order. */
  private void putBack(List<T> items) {
    lock.lock();
    try {
      PendingPoll.giveBack(kept, items);
    } finally {
      lock.unlock();
    }
  }
}
