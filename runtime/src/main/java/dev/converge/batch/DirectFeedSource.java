package dev.converge.batch;

/**
 * A {@link BatchSource} that can feed a {@link BatchIterator} directly instead of answering polls:
 * {@link BatchChannel}, and the publisher and iterator adapters of {@link BatchSources}. The
 * iterator asks every source for its feed this way rather than knowing the concrete classes.
 *
 * <p>An abstract class rather than an interface so that {@link BatchChannel}, a public class, need
 * not make {@link #directFeed()} public: an interface method would be part of its API.
 *
 * @param <T> the item type
 */
abstract class DirectFeedSource<T> implements BatchSource<T> {

  /** The feed an iterator built over this source reads, one per iterator that asks. */
  abstract DirectFeed<T> directFeed();
}
