package dev.converge.batch;

/**
 * How a {@link BatchIterator} reads a {@link DirectFeed}: the feed pushes items into the batch
 * being filled instead of answering polls. The feed and the iterator share the feed's lock; the
 * feed calls {@link #hasRoom}, {@link #receiveOne} and {@link #feedDrained} with it held, and
 * {@link #carryOut} once it has released it.
 *
 * <p>While the batch has room, the feed buffers nothing: a producer's item goes straight into the
 * batch ({@link #receiveOne}), costing one lock acquisition and one list slot. When the batch is
 * full, or complete and waiting for prefetch room, the feed buffers items, and {@link #refill}
 * moves them in bulk once room appears. Futures, callbacks and timers are paid per batch, never
 * per item.
 *
 * <p>Guarded by the iterator's lock (the feed's), except {@link #carryOut} and {@link
 * #afterUnlock}.
 *
 * @param <T> the item type
 */
final class FeedReader<T> implements SourceReader<T> {

  private final BatchIterator<T> iterator;
  private final DirectFeed<T> feed;
  private final FillingBatch<T> filling;

  FeedReader(BatchIterator<T> iterator, DirectFeed<T> feed, FillingBatch<T> filling) {
    this.iterator = iterator;
    this.feed = feed;
    this.filling = filling;
  }

  /** Becomes the feed's only consumer, unless it already has one or a poll is pending. */
  boolean attach() {
    return feed.attach(this);
  }

  /**
   * Moves the feed's buffered items into the batch while it has room, or ends the stream once the
   * feed has ended and is drained; with nothing buffered, lets the feed ask its producer for the
   * room that is left.
   */
  @Override
  public void refill(Transition transition) {
    while (iterator.isOpen()) {
      int room = filling.room();
      if (room == 0) {
        return;
      }
      int buffered = feed.buffered();
      if (buffered == 0) {
        if (feed.drainedEnd()) {
          iterator.end(feed.failure(), transition);
        } else {
          transition.signalFeed |= feed.want(room);
        }
        return;
      }
      int moved = feed.moveBuffered(filling.intakeList(Math.min(room, buffered)), room, transition);
      iterator.intake(moved, transition);
    }
  }

  /** Makes the calls to the producer that {@link DirectFeed#want} recorded. */
  @Override
  public void afterUnlock(Transition transition) {
    if (transition.signalFeed) {
      feed.afterUnlock();
    }
  }

  /** Items still in the feed stay there, for whoever polls it next. */
  @Override
  public void stop() {
    feed.detach();
  }

  @Override
  public void checkInvariants() {
    Invariants.require(
        filling.room() == 0 || feed.buffered() == 0,
        "a feed holds items only while the batch has no room");
    Invariants.require(
        filling.room() == 0 || !feed.drainedEnd(), "a drained, ended feed has ended the stream");
  }

  // ---- called by the feed -----------------------------------------------------------------------

  /** Lock held: whether an item that arrives now may go straight into the batch being filled. */
  boolean hasRoom() {
    return iterator.isOpen() && filling.room() > 0;
  }

  /**
   * Lock held: takes one item into the batch being filled (which {@link #hasRoom() has room}).
   * Costs no allocation unless the item starts a batch (its list and linger timer) or completes
   * one. Returns the transition for {@link #carryOut}, or null when there is nothing to do.
   */
  Transition receiveOne(T item) {
    filling.intakeList(1).add(item);
    Transition transition = iterator.intake(1, null);
    if (transition != null && !filling.isFilling()) {
      refill(transition); // the batch became due, and may have made room
    }
    return transition;
  }

  /**
   * Lock held: the feed ended and holds nothing more, so the remainder becomes the END batch.
   * Returns the transition for {@link #carryOut}, or null if the iterator is no longer open.
   */
  Transition feedDrained() {
    if (!iterator.isOpen() || !feed.drainedEnd()) {
      return null;
    }
    Transition transition = new Transition();
    iterator.end(feed.failure(), transition);
    return transition;
  }

  /** Without the lock: carries out what {@link #receiveOne} or {@link #feedDrained} decided. */
  void carryOut(Transition transition) {
    iterator.afterUnlock(transition);
  }
}
