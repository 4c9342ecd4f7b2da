package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * What ties a source to its {@link KafkaBatchSink}: the deliveries the sink has not sent, the
 * sequencer of its transactions, the consumer's group metadata, and the rewind that makes every
 * batch delivered before a revoking rebalance stale.
 *
 * <p>The state is guarded by the source's lock; {@link #groupMetadata()} is a volatile snapshot the
 * source's thread publishes after each {@code consumer.poll} (the metadata is immutable, and only
 * that thread may ask the consumer for it). {@link #rewind} runs on the source's thread, the only
 * one that may seek.
 */
final class SinkLink {

  final Deliveries deliveries = new Deliveries();
  final TransactionSequencer sequencer;
  private final ReentrantLock lock;
  private final SourceState state;
  private final FetchBuffer<?, ?> buffer;
  private final Assignment assignment;
  private final Duration closeTimeout;

  /** Starts the next transaction if one may start; the sink's, called without the lock. */
  private final Runnable pump;

  private volatile ConsumerGroupMetadata groupMetadata;

  /** Guarded by lock: a stale batch held fresh records, so every partition must be rewound. */
  private boolean rewindRequested;

  SinkLink(
      ReentrantLock lock,
      SourceState state,
      FetchBuffer<?, ?> buffer,
      Assignment assignment,
      Duration closeTimeout,
      Runnable pump) {
    this.lock = lock;
    this.state = state;
    this.buffer = buffer;
    this.assignment = assignment;
    this.closeTimeout = closeTimeout;
    this.pump = pump;
    this.sequencer = new TransactionSequencer(lock);
  }

  /** Starts the sink's next transaction if one may start. Called without the lock. */
  void pump() {
    pump.run();
  }

  /** The group metadata the source's thread published last; null before its first poll. */
  ConsumerGroupMetadata groupMetadata() {
    return groupMetadata;
  }

  /** Source's thread: publishes the consumer's current group metadata. */
  void publishGroupMetadata(Consumer<?, ?> consumer) {
    groupMetadata = consumer.groupMetadata();
  }

  /**
   * Lock held. A stale batch held records still fresh: they were taken out and will not be
   * committed, so every partition must be read again from its rewind point. No transaction starts
   * until the source's thread has done that; the caller nudges it.
   */
  void requestRewind() {
    if (!rewindRequested) {
      rewindRequested = true;
      sequencer.block();
    }
  }

  /** Source's thread, before each consumer.poll: carries out a requested rewind. */
  void rewindIfRequested(Consumer<?, ?> consumer) {
    lock.lock();
    try {
      if (!rewindRequested) {
        return;
      }
    } finally {
      lock.unlock();
    }
    rewind(consumer, List.of(), true);
  }

  /**
   * Source's thread: makes every batch delivered so far stale and rewinds the partitions this
   * member keeps to the first offset no transaction committed. With {@code waitForTransaction},
   * first waits (at most the close timeout) for the transaction running now to end, since what it
   * commits moves the rewind point; at the deadline, the sink fails.
   *
   * @param leaving partitions revoked or lost now: not rewound (their next owner reads them from
   *     the committed offset)
   */
  void rewind(
      Consumer<?, ?> consumer, Collection<TopicPartition> leaving, boolean waitForTransaction) {
    AfterUnlock completions = new AfterUnlock();
    Map<TopicPartition, Long> seeks = new HashMap<>();
    lock.lock();
    try {
      sequencer.block();
      try {
        if (waitForTransaction
            && !sequencer.awaitIdle(System.nanoTime() + closeTimeout.toNanos())) {
          RuntimeException timeout =
              new KafkaException(
                  new TimeoutException(
                      "the sink's transaction did not end within closeTimeout ("
                          + closeTimeout
                          + ") before a rebalance"));
          sequencer.fail(timeout, completions);
          state.fail(timeout);
          buffer.servePending(state.failure(), completions);
        }
        List<TopicPartition> kept = new ArrayList<>();
        for (PartitionTracker tracker : assignment.trackers()) {
          if (!leaving.contains(tracker.partition())) {
            kept.add(tracker.partition());
          }
        }
        for (TopicPartition partition : kept) {
          Long point = deliveries.rewindPoint(partition);
          if (point == null) {
            point = buffer.firstOffset(partition);
          }
          if (point != null) {
            seeks.put(partition, point);
          }
        }
        buffer.drop(kept);
        buffer.drop(leaving);
        sequencer.jump(deliveries.nextOrdinal(), completions);
        deliveries.forgetAll();
        if (rewindRequested) {
          rewindRequested = false;
          sequencer.unblock();
        }
      } finally {
        sequencer.unblock();
      }
    } finally {
      lock.unlock();
    }
    // Only this thread polls, so nothing is fetched from the old positions after the seeks.
    seeks.forEach(consumer::seek);
    state.runCompletions(completions);
    pump.run();
  }
}
