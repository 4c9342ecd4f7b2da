package dev.converge.batch;

import dev.converge.internal.AfterUnlock;

/**
 * What one transition of a {@link BatchIterator} decided under its lock, carried out by the same
 * thread once the lock is released: the futures to complete, through {@link AfterUnlock} like
 * everywhere else in Converge, and the iterator's own steps that must not run under the lock
 * (arming a linger timer, calling the feed's producer, closing the source, polling).
 *
 * <p>One instance belongs to one transition on one thread. It allocates nothing beyond itself until
 * a future is recorded, and a transition that decides nothing is not made at all: a sent item that
 * neither starts nor completes a batch costs none.
 */
final class Transition {

  private AfterUnlock completions;

  /** The batch of a polled source may have room: poll while it has. */
  boolean mayPoll;

  /** The stream ended: close the source. */
  boolean closeSource;

  /** The direct feed recorded calls to its producer: make them ({@link DirectFeed#afterUnlock}). */
  boolean signalFeed;

  /** A batch started its linger: the timer's epoch (0 if none) and the time the batch started. */
  long lingerEpoch;

  long lingerFrom;

  /** The futures to complete once the lock is released, in the order they were decided. */
  AfterUnlock completions() {
    if (completions == null) {
      completions = new AfterUnlock();
    }
    return completions;
  }

  /** Without the lock: completes the recorded futures. */
  void complete() {
    if (completions != null) {
      completions.run();
    }
  }
}
