package dev.converge.batch;

/**
 * How a {@link BatchIterator} reads its source: by polls ({@link Poller}), or through a feed that
 * pushes items into it ({@link FeedReader}). The iterator picks one when it is built and keeps
 * items coming only through it.
 *
 * @param <T> the item type
 */
interface SourceReader<T> {

  /**
   * Lock held, after a transition: keeps items coming while the batch being filled has room. A
   * feed moves its buffered items in now; a poller records in the transition that it will poll.
   */
  void refill(Transition transition);

  /** Without the lock: the reader's share of what a transition decided (polls, producer calls). */
  void afterUnlock(Transition transition);

  /** Lock held: the stream ended or the iterator closed; the reader stops reading. */
  void stop();

  /** Test hook, lock held, while the iterator is open: checks the reader's invariants. */
  void checkInvariants();
}
