package dev.converge.batch;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A source that pushes items straight into the batch a {@link BatchIterator} is assembling, instead
 * of answering polls: {@link BatchChannel}, and the publisher and iterator adapters of {@link
 * BatchSources}. The iterator and the feed share the feed's {@link #lock()}. While the batch has room
 * and the feed buffers nothing, an arriving item goes into the batch through {@link
 * FeedReader#receiveOne} (one lock acquisition, one list slot, nothing allocated); otherwise the
 * feed buffers it, and the iterator takes buffered items in bulk with {@link #moveBuffered} when room
 * appears. So futures, callbacks and timers are paid per batch, never per item.
 *
 * <p>Every method except {@link #lock()} and {@link #afterUnlock()} is called with the lock held.
 *
 * @param <T> the item type
 */
interface DirectFeed<T> {

  /** The lock guarding the feed, which the attached iterator uses as its own. */
  ReentrantLock lock();

  /**
   * Makes {@code reader} (an iterator's side of the feed) the feed's only consumer, unless it
   * already has one or a poll is pending. From then on the feed hands items to it and refuses
   * polls, until {@link #detach()}.
   */
  boolean attach(FeedReader<T> reader);

  /** The iterator has ended or closed: the feed answers polls again. */
  void detach();

  /** How many items the feed holds for the iterator (they arrived while its batch had no room). */
  int buffered();

  /** Whether the stream has ended and the feed holds nothing more. */
  boolean drainedEnd();

  /** Once {@link #drainedEnd()}: the failure that ended the stream, or null for a normal end. */
  Throwable failure();

  /**
   * Moves up to {@code max} buffered items, oldest first, into {@code into}, and returns how many
   * it moved; futures to complete because of it (a channel's senders admitted into the room this
   * frees) go to {@code transition}'s completions.
   */
  int moveBuffered(List<T> into, int max, Transition transition);

  /**
   * The batch has room for {@code room} more items and the feed buffers nothing: the feed may ask
   * its producer for them. Calls to the producer are made by {@link #afterUnlock()}, once the lock
   * is released; this returns whether there are any to make.
   */
  boolean want(int room);

  /** Without the lock: makes the calls to the producer that {@link #want} recorded. */
  void afterUnlock();
}
