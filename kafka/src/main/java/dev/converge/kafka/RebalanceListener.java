package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * The source's rebalance listener. Kafka calls it on the source's thread, inside consumer.poll (and
 * consumer.close), so it may call the consumer.
 *
 * <p>Revoked partitions first commit what is marked for them, synchronously, before the rebalance
 * completes; then their assignments end, their held records are dropped, and the stages still
 * waiting on them complete (the new owner reads the uncommitted records again). Lost partitions end
 * the same way without a commit, since another member may own them already. Assigned partitions
 * start new assignments; a partition assigned again without a revocation ends its old one first.
 */
final class RebalanceListener implements ConsumerRebalanceListener {

  private final Consumer<?, ?> consumer;
  private final ReentrantLock lock;
  private final SourceState state;
  private final Assignment assignment;
  private final FetchBuffer<?, ?> buffer;
  private final OffsetCommitter committer;
  private final Backpressure backpressure;
  private final Duration commitTimeout;

  /** Set before the source's thread starts: the sink's link, or null. */
  private SinkLink link;

  private final KafkaSourceMetrics metrics;

  /**
   * Creates the listener over the source's shared state.
   *
   * @param commitTimeout the longest a revocation's commit may take: the source's close timeout
   * @param metrics told about each callback that moves partitions, after it has done its work
   */
  RebalanceListener(
      Consumer<?, ?> consumer,
      ReentrantLock lock,
      SourceState state,
      Assignment assignment,
      FetchBuffer<?, ?> buffer,
      OffsetCommitter committer,
      Backpressure backpressure,
      Duration commitTimeout,
      KafkaSourceMetrics metrics) {
    this.consumer = consumer;
    this.lock = lock;
    this.state = state;
    this.assignment = assignment;
    this.buffer = buffer;
    this.committer = committer;
    this.backpressure = backpressure;
    this.commitTimeout = commitTimeout;
    this.metrics = metrics;
  }

  /** A sink is attached: offsets move only through its transactions. */
  void attach(SinkLink link) {
    this.link = link;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (link != null && !partitions.isEmpty()) {
      // The transactions already sent commit first; then every batch delivered so far is stale
      // and the partitions kept are read again from what the transactions committed.
      link.rewind(consumer, partitions, true);
    }
    List<PartitionTracker> revoked;
    OffsetCommitter.CommitRequest commit = null;
    lock.lock();
    try {
      revoked = assignment.trackersOf(partitions);
      if (state.failure() == null) { // a failed stream commits in commitUntilClosed and on close
        commit = committer.syncRequest(revoked);
      }
      buffer.drop(partitions);
    } finally {
      lock.unlock();
    }
    if (commit != null) {
      // The commit must land before the partitions move, so it is synchronous, and its stages
      // (still registered: the assignments end only below) complete with it.
      long deadline = System.nanoTime() + commitTimeout.toNanos();
      committer.commitSync(commit, deadline, OffsetCommitter.SyncCommit.REVOCATION);
    }
    end(revoked);
    if (!partitions.isEmpty()) {
      metrics.partitionsRevoked(partitions.size());
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    if (link != null && !partitions.isEmpty()) {
      link.rewind(consumer, partitions, false); // another member may own them already
    }
    AfterUnlock completions = new AfterUnlock();
    lock.lock();
    try {
      assignment.end(assignment.trackersOf(partitions), completions);
      buffer.drop(partitions);
    } finally {
      lock.unlock();
    }
    state.runCompletions(completions);
    if (!partitions.isEmpty()) {
      metrics.partitionsLost(partitions.size());
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    AfterUnlock completions = new AfterUnlock();
    lock.lock();
    try {
      if (assignment.assign(partitions, completions)) {
        buffer.drop(partitions); // fetched under the old assignment
      }
    } finally {
      lock.unlock();
    }
    state.runCompletions(completions);
    backpressure.assigned(partitions);
    if (!partitions.isEmpty()) {
      metrics.partitionsAssigned(partitions.size());
    }
    if (link != null) {
      link.publishGroupMetadata(consumer);
    }
  }

  private void end(List<PartitionTracker> ended) {
    AfterUnlock completions = new AfterUnlock();
    lock.lock();
    try {
      assignment.end(ended, completions);
    } finally {
      lock.unlock();
    }
    state.runCompletions(completions);
  }
}
