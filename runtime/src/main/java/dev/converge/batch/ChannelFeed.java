package dev.converge.batch;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BatchChannel} as a {@link DirectFeed}: how a {@link BatchIterator} built over it reads
 * it. Producers push, so there is no one to ask for items ({@link #want} is always false).
 *
 * @param <T> the item type
 */
final class ChannelFeed<T> implements DirectFeed<T> {

  private final BatchChannel<T> channel;

  ChannelFeed(BatchChannel<T> channel) {
    this.channel = channel;
  }

  @Override
  public ReentrantLock lock() {
    return channel.lock;
  }

  @Override
  public boolean attach(FeedReader<T> reader) {
    return channel.attach(reader);
  }

  @Override
  public void detach() {
    channel.detach();
  }

  @Override
  public int buffered() {
    return channel.buffered();
  }

  @Override
  public boolean drainedEnd() {
    return channel.drainedEnd();
  }

  @Override
  public Throwable failure() {
    return channel.failure();
  }

  @Override
  public int moveBuffered(List<T> into, int max, Transition transition) {
    return channel.moveBuffered(into, max, transition);
  }

  @Override
  public boolean want(int room) {
    return false;
  }

  @Override
  public void afterUnlock() {}
}
