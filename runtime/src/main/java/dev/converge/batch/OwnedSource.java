package dev.converge.batch;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The source a {@link BatchIterator} owns. The iterator reads it through one {@link SourceReader},
 * chosen when the iterator is built: the {@link FeedReader} if the source is a {@link
 * DirectFeedSource} whose feed accepts the iterator, otherwise the {@link Poller}. And it closes it
 * exactly once: once the lock is released after the transition that ends the stream (a failure
 * then goes to the thread's uncaught-exception handler, since nobody called to hear about it), or
 * in {@code close()}, which rethrows it.
 *
 * <p>Guarded by the iterator's lock, except {@link #start}, which takes it, and {@link
 * #afterUnlock} and {@link #close}.
 *
 * @param <T> the item type
 */
final class OwnedSource<T> {

  private final BatchIterator<T> iterator;
  private final ReentrantLock lock;
  private final BatchSource<T> source;

  /** Polls the source, unless a feed pushes into the iterator; then it stays idle. */
  private final Poller<T> poller;

  /** The poller, or the feed's reader if the feed accepted the iterator; final after start(). */
  private SourceReader<T> reader;

  private boolean closed;

  OwnedSource(
      BatchIterator<T> iterator,
      BatchSource<T> source,
      DirectFeed<T> feed,
      FillingBatch<T> filling,
      ReentrantLock lock) {
    this.iterator = iterator;
    this.lock = lock;
    this.source = source;
    this.poller = new Poller<>(iterator, source, filling, lock);
    this.reader = feed != null ? new FeedReader<>(iterator, feed, filling) : poller;
  }

  /** The poller, which holds the poll/close handshake that {@code close()} takes part in. */
  Poller<T> poller() {
    return poller;
  }

  /**
   * At build, without the lock: attaches to a feed and takes what it holds, or makes the first
   * poll; then carries out the transition, as any other part does once the lock is released.
   */
  void start() {
    Transition transition = new Transition();
    lock.lock();
    try {
      if (reader instanceof FeedReader<T> feedReader && !feedReader.attach()) {
        reader = poller; // the feed has another consumer: poll it, and fail as its poll does
      }
      reader.refill(transition);
    } finally {
      lock.unlock();
    }
    iterator.afterUnlock(transition);
  }

  /** After a transition: keeps items coming while the batch has room. */
  void refill(Transition transition) {
    reader.refill(transition);
  }

  /**
   * The stream ended or the iterator is closing: stops reading. Returns whether the source is
   * still to be closed; only the first call says so.
   */
  boolean stop() {
    reader.stop();
    boolean first = !closed;
    closed = true;
    return first;
  }

  /** Without the lock: closes the source if the stream ended, then the reader's share (polls). */
  void afterUnlock(Transition transition) {
    if (transition.closeSource) {
      try {
        source.close();
      } catch (RuntimeException e) {
        // Nobody called us to hear about it: report it like an executor reports a failed task.
        Thread thread = Thread.currentThread();
        thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
      }
    }
    reader.afterUnlock(transition);
  }

  /** Without the lock, for {@code close()}: closes the source; its exception propagates. */
  void close() {
    source.close();
  }

  /** Test hook: checks the reader's invariants while {@code open}, else that the source closed. */
  void checkInvariants(boolean open) {
    if (open) {
      reader.checkInvariants();
    } else {
      Invariants.require(closed, "after the end, the source is closed");
    }
  }
}
