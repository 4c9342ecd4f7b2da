package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * What the source's one thread runs: the only code that calls the consumer (but for {@code
 * wakeup}). It subscribes, then polls until close() or a failure; after a failure it commits until
 * close(); at the end it commits what is marked, closes the consumer and ends the source.
 *
 * <p>Each turn of the loop decides under the lock whether a poll wants records and which commit
 * is due, then, without it, pauses or resumes the partitions, sends the commit and calls {@code
 * consumer.poll}, which runs commit callbacks and the {@link RebalanceListener}; back under the
 * lock it buffers what was fetched and serves the pending poll. Other threads reach it through
 * {@link SourceState#nudge()}: a {@code consumer.wakeup()} ends the {@code consumer.poll} at once.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
final class ConsumerLoop<K, V> implements Runnable {

  private final Consumer<K, V> consumer;
  private final List<String> topics;
  private final Duration pollTimeout;
  private final Duration closeTimeout;
  private final Duration startupTimeout;
  private final ReentrantLock lock;
  private final SourceState state;
  private final FetchBuffer<K, V> buffer;
  private final Assignment assignment;
  private final OffsetCommitter committer;
  private final Backpressure backpressure;
  private final RebalanceListener listener;

  /** Set before the thread starts (then read only by it): the sink's link, or null. */
  private SinkLink link;

  /** Set before the thread starts: where undeserializable records go, or null. */
  private DeadLetterPublisher deadLetters;

  private final KafkaSourceMetrics metrics;

  ConsumerLoop(
      Consumer<K, V> consumer,
      List<String> topics,
      Duration pollTimeout,
      Duration closeTimeout,
      Duration startupTimeout,
      ReentrantLock lock,
      SourceState state,
      FetchBuffer<K, V> buffer,
      Assignment assignment,
      OffsetCommitter committer,
      KafkaSourceMetrics metrics) {
    this.consumer = consumer;
    this.topics = topics;
    this.pollTimeout = pollTimeout;
    this.closeTimeout = closeTimeout;
    this.startupTimeout = startupTimeout;
    this.lock = lock;
    this.state = state;
    this.buffer = buffer;
    this.assignment = assignment;
    this.committer = committer;
    this.metrics = metrics;
    this.backpressure = new Backpressure(consumer, metrics);
    this.listener =
        new RebalanceListener(
            consumer,
            lock,
            state,
            assignment,
            buffer,
            committer,
            backpressure,
            closeTimeout,
            metrics);
  }

  /** A sink is attached (before the thread starts). */
  void attach(SinkLink link) {
    this.link = link;
    listener.attach(link);
  }

  /** Undeserializable records go to {@code deadLetters} (set before the thread starts). */
  void deadLetters(DeadLetterPublisher deadLetters) {
    this.deadLetters = deadLetters;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(topics, listener);
      checkTopicsExist();
      pollUntilStopped();
    } catch (RuntimeException | Error e) {
      fail(e);
      committer.commitUntilClosed();
    } finally {
      shutdown();
    }
  }

  /**
   * Fails the stream for a topic the cluster does not have (and will not create): a subscription to
   * it would otherwise wait silently forever. Metadata that cannot be fetched within the startup
   * timeout (no broker reachable, a broker still starting) is left to consumer.poll, which waits
   * for it. Each call is woken up by close(), like a consumer.poll; a wakeup from a poll or a
   * commit asks the same topic again.
   */
  private void checkTopicsExist() {
    for (int i = 0; i < topics.size(); ) {
      String topic = topics.get(i);
      lock.lock();
      try {
        if (!state.isRunning()) {
          return; // close() came first
        }
        state.pollingStarts(); // from now on, a nudge wakes the call below
      } finally {
        lock.unlock();
      }
      List<PartitionInfo> partitions = null;
      boolean answered = false;
      boolean wokenUp = false;
      try {
        partitions = consumer.partitionsFor(topic, startupTimeout);
        answered = true;
      } catch (WakeupException e) {
        wokenUp = true;
      } catch (RetriableException e) {
        // No answer within the startup timeout (no broker reachable): left to consumer.poll.
      } finally {
        lock.lock();
        try {
          state.pollingEnded();
        } finally {
          lock.unlock();
        }
      }
      if (wokenUp) {
        continue; // the loop's check ends the startup on close(); otherwise ask again
      }
      if (answered && (partitions == null || partitions.isEmpty())) {
        throw new UnknownTopicOrPartitionException(
            "topic '" + topic + "' does not exist and is not created automatically");
      }
      i++;
    }
  }

  /** Polls, commits and pauses while RUNNING; after a failure, commits until close(). */
  private void pollUntilStopped() {
    boolean failed;
    while (true) {
      boolean recordsWanted;
      OffsetCommitter.CommitRequest commit;
      lock.lock();
      try {
        if (!state.isRunning()) {
          failed = state.isFailed();
          break;
        }
        recordsWanted =
            buffer.hasPendingPoll() && buffer.isEmpty() && assignment.unmarkedLimit().room() > 0;
        commit = committer.takeAsyncRequest();
        // In the same critical section as the decisions above: a request that comes after them
        // sees the flag and wakes the consumer.poll below.
        state.pollingStarts();
      } finally {
        lock.unlock();
      }
      if (recordsWanted) {
        backpressure.resumeAll();
      } else {
        backpressure.pauseAll();
      }
      if (commit != null) {
        committer.sendAsync(commit);
      }
      if (link != null) {
        link.rewindIfRequested(consumer);
      }
      pollOnce();
    }
    if (failed) {
      committer.commitUntilClosed();
    }
  }

  /** One consumer.poll, its records buffered and the pending poll served. */
  private void pollOnce() {
    ConsumerRecords<K, V> records;
    RuntimeException error = null;
    try {
      records = consumer.poll(pollTimeout);
      if (link != null) {
        link.publishGroupMetadata(consumer);
      }
    } catch (RecordDeserializationException e) {
      records = ConsumerRecords.empty();
      error = deadLetters == null ? e : skipDeadLetter(e);
    } catch (WakeupException e) {
      records = ConsumerRecords.empty(); // nudged: another turn picks up the work
    } catch (RetriableException e) {
      records = ConsumerRecords.empty(); // the consumer recovers on a later poll
    } catch (RuntimeException e) {
      records = ConsumerRecords.empty();
      error = e;
    }
    AfterUnlock completions = new AfterUnlock();
    boolean measured = metrics != KafkaSourceMetrics.NOOP;
    long fetched = 0;
    long unmarked = 0;
    lock.lock();
    try {
      state.pollingEnded();
      if (!records.isEmpty()) {
        buffer.add(records, assignment);
      }
      if (error != null) {
        state.fail(error);
      }
      buffer.servePending(state.failure(), completions);
      if (measured) { // a sum over the partitions, so only when someone reads it
        fetched = buffer.size();
        unmarked = assignment.unmarked();
      }
    } finally {
      lock.unlock();
    }
    state.runCompletions(completions);
    if (measured) {
      metrics.recordsHeld(fetched, unmarked);
    }
    if (records.isEmpty() && error == null) {
      commitPositionsOfSettledPartitions();
    }
  }

  /**
   * After a consumer.poll that returned nothing: a partition whose every delivered record is marked
   * and acknowledged, and whose consumer position is past its committed offset, commits that
   * position. The offsets in between are no records (the marker that ends a transaction, aborted
   * records under {@code isolation.level=read_committed}), so without this an idle, fully
   * processed partition of a transactional topic would keep a lag of at least 1 forever.
   * Positions are local to the consumer; no request is sent unless a commit becomes due.
   */
  private void commitPositionsOfSettledPartitions() {
    List<PartitionTracker> settled = new ArrayList<>();
    lock.lock();
    try {
      if (!state.isRunning()) {
        return;
      }
      for (PartitionTracker tracker : assignment.trackers()) {
        tracker.advance();
        if (tracker.settled() && tracker.committable() >= 0 && !buffer.holds(tracker.partition())) {
          settled.add(tracker);
        }
      }
    } finally {
      lock.unlock();
    }
    if (settled.isEmpty()) {
      return;
    }
    long[] positions = new long[settled.size()];
    for (int i = 0; i < positions.length; i++) {
      TopicPartition partition = settled.get(i).partition();
      try {
        positions[i] = consumer.position(partition, Duration.ZERO);
      } catch (RuntimeException e) {
        positions[i] = -1; // unknown now (being reset, revoked, woken up): next time
      }
    }
    lock.lock();
    try {
      for (int i = 0; i < positions.length; i++) {
        PartitionTracker tracker = settled.get(i);
        if (positions[i] >= 0 && !buffer.holds(tracker.partition())) {
          committer.skipTo(tracker, positions[i]); // the next turn sends it, if due
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Publishes an undeserializable record to the dead-letter topic, counts it as processed, and
   * moves past it. The loop polls with resumed partitions only when nothing is buffered, so every
   * record fetched before this one was delivered already: its offset is settled after them.
   *
   * @return the failure if the publish failed, else null
   */
  private RuntimeException skipDeadLetter(RecordDeserializationException e) {
    try {
      deadLetters.publish(e, closeTimeout);
    } catch (RuntimeException publishFailed) {
      return publishFailed;
    }
    TopicPartition partition = e.topicPartition();
    metrics.deadLettered(partition, e.offset());
    lock.lock();
    try {
      if (link != null) {
        long ordinal = link.deliveries.skipped(partition, e.offset());
        link.sequencer.submit(
            new TransactionSequencer.Step(
                ordinal,
                ordinal,
                Map.of(partition, new OffsetAndMetadata(e.offset() + 1)),
                List.of(),
                null),
            null);
      } else {
        PartitionTracker tracker = assignment.tracker(partition);
        if (tracker != null) {
          // Stands in for the record: delivered and marked, so commits move past it.
          ConsumerRecord<Object, Object> skipped =
              new ConsumerRecord<>(
                  partition.topic(), partition.partition(), e.offset(), null, null);
          tracker.delivered(skipped);
          tracker.mark(skipped);
        }
      }
    } finally {
      lock.unlock();
    }
    consumer.seek(partition, e.offset() + 1);
    if (link != null) {
      link.pump();
    }
    return null;
  }

  /** Fails the stream with {@code error}; a pending poll fails if nothing is buffered before it. */
  private void fail(Throwable error) {
    AfterUnlock completions = new AfterUnlock();
    lock.lock();
    try {
      state.fail(
          error instanceof RuntimeException
              ? (RuntimeException) error
              : new IllegalStateException("the Kafka source's thread failed", error));
      buffer.servePending(state.failure(), completions);
    } finally {
      lock.unlock();
    }
    state.runCompletions(completions);
  }

  /** Commits what is marked, ends every assignment, closes the consumer, ends the source. */
  private void shutdown() {
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    try {
      OffsetCommitter.CommitRequest commit;
      lock.lock();
      try {
        state.closing();
        commit = committer.syncRequest(assignment.trackers());
      } finally {
        lock.unlock();
      }
      if (commit != null) {
        committer.commitSync(commit, deadline, OffsetCommitter.SyncCommit.CLOSE);
      }
      AfterUnlock completions = new AfterUnlock();
      lock.lock();
      try {
        assignment.endAll(completions);
        buffer.clear();
      } finally {
        lock.unlock();
      }
      state.runCompletions(completions);
      long remaining = Math.max(0, deadline - System.nanoTime());
      try {
        consumer.close(CloseOptions.timeout(Duration.ofNanos(remaining)));
      } catch (WakeupException e) {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      }
      if (deadLetters != null) {
        deadLetters.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
    } finally {
      state.terminated();
    }
  }
}
