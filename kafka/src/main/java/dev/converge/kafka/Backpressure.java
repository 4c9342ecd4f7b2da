package dev.converge.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Backpressure without leaving the group: while no poll wants records, every assigned partition is
 * paused and the source's thread goes on calling {@code consumer.poll} (which keeps the member in
 * the group but fetches nothing); when a poll wants records again, they are resumed. So the source
 * holds at most one {@code consumer.poll}'s worth of records beyond what it delivered.
 *
 * <p>Touched only by the source's thread (the loop, and the rebalance listener inside
 * consumer.poll), so it needs no lock.
 */
final class Backpressure {

  private final Consumer<?, ?> consumer;
  private final KafkaSourceMetrics metrics;
  private boolean pausedAll;

  Backpressure(Consumer<?, ?> consumer, KafkaSourceMetrics metrics) {
    this.consumer = consumer;
    this.metrics = metrics;
  }

  /** Before a consumer.poll for a pending poll: resumes the partitions, if paused. */
  void resumeAll() {
    if (pausedAll) {
      Set<TopicPartition> paused = new HashSet<>(consumer.paused());
      paused.retainAll(consumer.assignment());
      consumer.resume(paused);
      pausedAll = false;
      metrics.pausedChanged(false);
    }
  }

  /** Before a consumer.poll that no poll waits for: pauses every partition, if not yet paused. */
  void pauseAll() {
    if (!pausedAll) {
      consumer.pause(consumer.assignment());
      pausedAll = true;
      metrics.pausedChanged(true);
    }
  }

  /** Newly assigned partitions join a pause in force, to keep the bound on held records. */
  void assigned(Collection<TopicPartition> partitions) {
    if (pausedAll && !partitions.isEmpty()) {
      consumer.pause(partitions);
    }
  }
}
