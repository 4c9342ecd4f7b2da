package dev.converge.kafka;

import dev.converge.ConvergeExecutors;
import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.batch.BatchSource;
import dev.converge.internal.AfterUnlock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A {@link BatchSource} over a Kafka consumer group, with commit after processing (at-least-once),
 * meant to be read through a {@link BatchIterator}.
 *
 * <pre>{@code
 * KafkaBatchSource<String, Order> source =
 *     KafkaBatchSource.builder(consumer).topics("orders").build();
 * BatchIterator<ConsumerRecord<String, Order>> batches =
 *     BatchIterator.builder(source).maxSize(500).build();
 * batches.forEach(batch -> process(batch).thenCompose(done -> source.commit(batch)));
 * }</pre>
 *
 * <p><b>Threads.</b> The consumer (whose {@code group.id} must be set and auto commit off) belongs
 * to the source from {@link #builder(Consumer)} on and is touched only by the source's one thread,
 * made by the builder's thread factory, started by the first {@link #poll(int)} and ended by {@link
 * #close()}. Other threads talk to it through state guarded by a lock and {@link
 * Consumer#wakeup()}. {@link #poll(int)}, {@link #commit(Collection)} and {@link #close()} may be
 * called from any thread. No stage this source returns completes on its own thread: what that
 * thread decides (records for a poll that waited, a commit acknowledged, a revocation) completes on
 * the builder's {@link KafkaBatchSourceBuilder#completionExecutor(Executor) completion executor}
 * (by default {@link
 * ConvergeExecutors#defaultExecutor()}); what a caller's thread decides (records already fetched, a
 * commit that needs no waiting) completes on that thread. So code chained to the stages, and an
 * iterator's handler, may block without delaying {@code consumer.poll}.
 *
 * <p><b>Commits.</b> {@code commit} marks records processed, from any thread and in any order. Per
 * partition, the committed offset is 1 + the highest offset up to which every record this source
 * delivered has been marked, so an unmarked record (a batch still being processed) holds back the
 * commit of all that follow it. The returned stage completes when the broker has acknowledged a
 * commit covering every given record, or at once for records of partitions this member no longer
 * owns. Refusals that retrying cures (a rebalance in progress, a stale member epoch under KIP-848,
 * a stale generation, a coordinator moving) are retried; the stage fails with the commit's
 * exception only when retrying cannot succeed. Nothing that was not marked is ever committed.
 *
 * <p><b>What is delivered again.</b> After a rebalance, the new owner of a partition starts at its
 * committed offset: it reads again every record this member delivered and had not committed (marked
 * records are committed before a revoked partition is handed over, as far as no gap holds them
 * back). A partition revoked and assigned back is a new assignment: it, too, starts at the
 * committed offset, and commits for records delivered under the old assignment complete at once. A
 * lost partition (the member was evicted) is dropped without a commit. After a crash, the group
 * reads again everything after the last acknowledged commit. Every record is delivered at least
 * once; idempotent processing makes that exactly once in effect.
 *
 * <p><b>Backpressure.</b> While no poll is pending, the source pauses its partitions and goes on
 * calling {@code consumer.poll}, so a batch may be processed for longer than
 * {@code max.poll.interval.ms} without the member being evicted. Beyond what the caller holds, the
 * source holds at most one {@code consumer.poll}'s worth of records ({@code max.poll.records}).
 *
 * <p><b>Unmarked records.</b> Delivered records that are never marked would hold their partition's
 * commit and the source's memory forever; at {@link
 * KafkaBatchSourceBuilder#maxUnmarkedRecords(int)} of them the
 * source delivers no more until marks make room (see there).
 *
 * <p><b>Errors.</b> A record that cannot be deserialized (unless {@link
 * KafkaBatchSourceBuilder#deadLetters} is
 * set, which publishes it to a dead-letter topic and goes on), or a consumer error that retrying
 * cannot cure, fails the stream after the records received before it, with Kafka's exception
 * (which names
 * the topic, partition and offset where Kafka knows them). A broker outage does not: retriable
 * errors (including a {@code WakeupException} that kafka-clients 4.3.1 throws from {@code
 * commitAsync} while no coordinator is known, KAFKA-20232) are retried, and the source resumes
 * when the broker is back. Commits of delivered records still work after a failure, with bounded
 * retries: a member the group has evicted fails them at once, other retriable refusals are retried
 * with a growing backoff for at most the close timeout, and then the stage fails with the refusal;
 * {@link #close()} is still needed. A thread factory that gives no thread fails the stream with an
 * {@link IllegalStateException}. A topic that does not exist (and is not created automatically)
 * fails the stream at once: after subscribing, the source asks {@code consumer.partitionsFor} for
 * each topic, waiting at most the {@link KafkaBatchSourceBuilder#startupTimeout(Duration) startup
 * timeout} (so a
 * {@code MockConsumer} needs the topic declared with {@code updatePartitions}).
 *
 * <p><b>Commit details.</b> Each commit carries the leader epoch of the last record it covers
 * (KIP-320), so the partition's next owner can detect a truncated log. A partition whose every
 * delivered record is marked and acknowledged commits the consumer's position when it is past the
 * last record, so an idle partition of a transactional topic (whose last offset is a transaction
 * marker) reaches a lag of 0.
 *
 * <p><b>With a sink.</b> Once a {@link KafkaBatchSink} is built on the source, offsets move only
 * through its transactions: {@link #commit(Collection)} throws, and the source commits nothing on
 * a rebalance or on close. See the sink for what is delivered again.
 *
 * <p>Memory consistency: actions of a thread before it calls {@code commit} happen-before the
 * commit request is sent to the broker.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public final class KafkaBatchSource<K, V>
    implements BatchSource<ConsumerRecord<K, V>>, AutoCloseable {

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final Consumer<K, V> consumer;
  private final List<String> topics;
  private final Duration closeTimeout;
  private final ThreadFactory threadFactory;

  /** Guards the state below, which the callers' threads and the source's thread share. */
  private final ReentrantLock lock = new ReentrantLock();

  private final SourceState state;
  private final UnmarkedLimit unmarkedLimit;
  private final FetchBuffer<K, V> buffer;
  private final Assignment assignment;
  private final OffsetCommitter committer;
  private final ConsumerLoop<K, V> loop;
  private final DeadLetterPublisher deadLetters;

  /** Guarded by lock: the attached sink's link, or null. */
  private SinkLink sinkLink;

  KafkaBatchSource(KafkaBatchSourceBuilder<K, V> builder) {
    this.consumer = builder.consumer;
    this.topics = List.copyOf(builder.topics);
    this.closeTimeout = builder.closeTimeout;
    this.threadFactory =
        builder.threadFactory != null ? builder.threadFactory : this::defaultThread;
    KafkaSourceMetrics metrics = GuardedSourceMetrics.of(builder.metrics);
    this.state =
        new SourceState(
            lock,
            builder.completionExecutor != null
                ? builder.completionExecutor
                : ConvergeExecutors.defaultExecutor());
    this.unmarkedLimit = new UnmarkedLimit(builder.maxUnmarkedRecords);
    this.buffer = new FetchBuffer<>(lock, unmarkedLimit);
    this.assignment = new Assignment(unmarkedLimit);
    this.committer =
        new OffsetCommitter(
            consumer,
            lock,
            state,
            assignment,
            closeTimeout,
            metrics,
            completions -> buffer.servePending(state.failure(), completions));
    this.loop =
        new ConsumerLoop<>(
            consumer,
            topics,
            builder.pollTimeout,
            closeTimeout,
            builder.startupTimeout,
            lock,
            state,
            buffer,
            assignment,
            committer,
            metrics);
    this.deadLetters =
        builder.deadLetterProducer == null
            ? null
            : new DeadLetterPublisher(builder.deadLetterProducer, builder.deadLetterTopic);
    if (deadLetters != null) {
      loop.deadLetters(deadLetters);
    }
  }

  /**
   * Starts building a source over {@code consumer}, which the source owns from now on: it
   * subscribes, polls, commits and closes it on its own thread, and nothing else may touch it.
   *
   * @param consumer a consumer with {@code group.id} set and {@code enable.auto.commit=false}
   * @param <K> the record key type
   * @param <V> the record value type
   * @return a builder; {@link KafkaBatchSourceBuilder#topics(String...)} must be set before {@link
   * KafkaBatchSourceBuilder#build()}
   */
  public static <K, V> KafkaBatchSourceBuilder<K, V> builder(Consumer<K, V> consumer) {
    return new KafkaBatchSourceBuilder<>(Objects.requireNonNull(consumer, "consumer"));
  }

  /**
   * Asks for up to {@code max} records. Records already fetched are returned at once on the
   * caller's thread; otherwise the stage completes on the completion executor when records arrive.
   * The first call starts the source's thread, which subscribes to the topics.
   *
   * @param max the most records the list may hold; at least 1
   * @return a stage with 1..{@code max} records of this member's partitions, each partition's in
   *     offset order; with an empty list once the source is closed; failed with Kafka's exception
   *     when the stream failed (after the records received before the failure). Cancelling it
   *     before records were taken for it withdraws it and loses nothing.
   *     A poll waits, too, while {@link KafkaBatchSourceBuilder#maxUnmarkedRecords(int)} delivered
   *     records are
   *     unmarked, and gets no more records than marks have made room for. Failed with an {@link
   *     IllegalStateException} when the source's thread could not be started
   * @throws IllegalStateException if a poll is already pending
   */
  @Override
  public CompletionStage<List<ConsumerRecord<K, V>>> poll(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    boolean wake;
    PollFuture<ConsumerRecord<K, V>> result;
    RuntimeException startFailure = null;
    lock.lock();
    try {
      if (state.closeRequested()) {
        return state.startFailure() != null
            ? CompletableFuture.failedFuture(state.startFailure())
            : CompletableFuture.completedFuture(List.of());
      }
      buffer.checkNoPendingPoll();
      if (buffer.canDeliver()) {
        return CompletableFuture.completedFuture(buffer.take(max));
      }
      if (state.isFailed() && buffer.isEmpty()) {
        return CompletableFuture.failedFuture(state.failure());
      }
      if (state.isNew()) {
        // The thread's first turn takes this lock, so it sees the poll registered below.
        startFailure = state.startThread(threadFactory, loop);
      }
      if (startFailure != null) {
        result = null;
        wake = false;
      } else {
        result = buffer.awaitRecords(max); // also while the unmarked limit holds records back
        wake = state.nudge();
      }
    } finally {
      lock.unlock();
    }
    if (startFailure != null) {
      try {
        consumer.close(CloseOptions.timeout(closeTimeout)); // no thread will: close it here
      } finally {
        state.terminated();
      }
      return CompletableFuture.failedFuture(startFailure);
    }
    if (wake) {
      consumer.wakeup();
    }
    return result;
  }

  /**
   * How many records this source delivered that were not marked yet (by {@link #commit}) and whose
   * partitions this member still owns. When it reaches the builder's {@link
   * KafkaBatchSourceBuilder#maxUnmarkedRecords(int)}, the source delivers no more records until
   * marks bring it
   * back below: see there.
   *
   * @return the number of delivered, unmarked records
   */
  public int unmarkedRecords() {
    lock.lock();
    try {
      return unmarkedLimit.unmarked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the records of {@code batch} processed; see {@link #commit(Collection)}.
   *
   * @param batch a batch of records this source delivered
   * @return a stage that completes once a commit covering the records is acknowledged
   */
  public CompletionStage<Void> commit(Batch<ConsumerRecord<K, V>> batch) {
    return commit(Objects.requireNonNull(batch, "batch").items());
  }

  /**
   * Marks {@code records} processed, so that they may be committed once every record delivered
   * before them (per partition) is marked too. May be called from any thread, in any order, more
   * than once for a record.
   *
   * @param records records this source delivered
   * @return a stage that completes when the broker has acknowledged a commit covering every one of
   *     {@code records}, at once for records of partitions this member no longer owns (the new
   *     owner reads them again), and fails with the commit's exception when retrying cannot make it
   *     succeed. It completes on the completion executor or on the caller's thread, never on the
   *     source's
   */
  public CompletionStage<Void> commit(Collection<ConsumerRecord<K, V>> records) {
    Objects.requireNonNull(records, "records");
    lock.lock();
    try {
      if (sinkLink != null) {
        throw new IllegalStateException(
            "a KafkaBatchSink is attached to this source: offsets"
                + " move only through its transactions; send the batch to the sink instead");
      }
    } finally {
      lock.unlock();
    }
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return committer.commit(records);
  }

  /**
   * Closes the source: completes a pending poll with an empty list (so an iterator over it ends),
   * commits what is marked (waiting at most the close timeout), closes the consumer (leaving the
   * group) and ends the source's thread, and returns when that is done. The commits this close
   * settles have landed (or failed) by then, but their stages complete on the completion executor,
   * so a stage may complete just after this method returns. Records fetched and not delivered are
   * dropped; they were never committed. Idempotent. Called on the source's own thread
   * (an iterator closing its source from a callback that thread runs), it starts the same close and
   * returns at once.
   */
  @Override
  public void close() {
    AfterUnlock completions = new AfterUnlock();
    SourceState.Lifecycle before;
    boolean wake = false;
    boolean onSourceThread;
    lock.lock();
    try {
      before = state.requestClose();
      if (before == SourceState.Lifecycle.RUNNING || before == SourceState.Lifecycle.FAILED) {
        buffer.close(completions);
        wake = state.nudge();
      }
      onSourceThread = state.onSourceThread();
    } finally {
      lock.unlock();
    }
    state.runCompletions(completions);
    if (before == SourceState.Lifecycle.NEW) {
      try {
        consumer.close(CloseOptions.timeout(closeTimeout)); // no thread yet: close it here
        if (deadLetters != null) {
          deadLetters.close(closeTimeout);
        }
      } finally {
        state.terminated();
      }
      return;
    }
    if (wake) {
      consumer.wakeup();
    }
    if (onSourceThread) {
      return; // the thread closes once the callback that called this returns
    }
    state.awaitTermination();
  }

  /**
   * How many undeserializable records this source has published to its dead-letter topic (see
   * {@link KafkaBatchSourceBuilder#deadLetters}); 0 without one. A hook for metrics; any thread.
   *
   * @return the count of dead letters the broker acknowledged
   */
  public long deadLetterCount() {
    return deadLetters == null ? 0 : deadLetters.published();
  }

  // ---------------------------------------------------------------- for KafkaBatchSink

  /**
   * Attaches a sink: from now on offsets move only through its transactions.
   *
   * @param pump starts the sink's next transaction; called without the lock
   * @throws IllegalStateException if the source was polled or closed already, or has a sink
   */
  SinkLink attachSink(Runnable pump) {
    lock.lock();
    try {
      if (sinkLink != null) {
        throw new IllegalStateException("this source already has a KafkaBatchSink");
      }
      if (!state.isNew()) {
        throw new IllegalStateException(
            "build the KafkaBatchSink before the source's first poll (and before close)");
      }
      SinkLink link = new SinkLink(lock, state, buffer, assignment, closeTimeout, pump);
      sinkLink = link;
      committer.transactional();
      buffer.recordDeliveries(link.deliveries);
      loop.attach(link);
      return link;
    } finally {
      lock.unlock();
    }
  }

  /** The source's lock, which guards the sink's link too. */
  ReentrantLock lock() {
    return lock;
  }

  /** The close timeout, which also bounds the sink's waits. */
  Duration closeTimeout() {
    return closeTimeout;
  }

  /**
   * Lock held. Fails the stream with {@code error} (the sink's transaction failed): polls get it
   * once the records buffered before it are taken.
   *
   * @return whether the caller must call {@link #wakeConsumer()} after unlocking
   */
  boolean failFromSink(RuntimeException error, AfterUnlock completions) {
    state.fail(error);
    buffer.servePending(state.failure(), completions);
    return state.nudge();
  }

  /**
   * Lock held. Tells the source's thread there is work (a rewind).
   *
   * @return whether the caller must call {@link #wakeConsumer()} after unlocking
   */
  boolean nudge() {
    return state.nudge();
  }

  /** Wakes the consumer.poll the source's thread is in; any thread, without the lock. */
  void wakeConsumer() {
    consumer.wakeup();
  }

  /** Runs completions decided under the lock; without the lock. */
  void runCompletions(AfterUnlock completions) {
    state.runCompletions(completions);
  }

  private Thread defaultThread(Runnable task) {
    Thread t = new Thread(task, "converge-kafka-" + THREAD_IDS.incrementAndGet() + "-" + topics);
    t.setDaemon(true);
    return t;
  }
}
