package dev.converge.kafka;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.internal.AfterUnlock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Writes each batch's results to Kafka exactly once: one transaction holds the batch's results
 * and its consumed offsets, committed with the source's consumer group metadata (KIP-98, KIP-447).
 * Batches sent while the previous transaction commits share the next one (up to 32); each
 * batch's stage completes when the transaction holding it has committed.
 *
 * <pre>{@code
 * KafkaBatchSink<String, String> sink =
 *     KafkaBatchSink.builder(source, new KafkaProducer<>(props)).build(); // transactional.id set
 * batches.forEach(batch -> enrich(batch).thenCompose(results -> sink.send(batch, results)));
 * }</pre>
 *
 * <p><b>Order.</b> Transactions commit in the order in which the source delivered the batches: a
 * {@code send} whose batch was delivered after a batch not yet sent waits for it. Every batch the
 * source delivers must be sent (with no results if it has none), or the stream closed; a batch
 * must be one the source's iterator made. Once the sink is built, offsets move only through its
 * transactions: {@code source.commit} throws {@link IllegalStateException}, and the source commits
 * nothing itself on a rebalance or on close.
 *
 * <p><b>Threads.</b> {@link #send} may be called from any thread and never blocks. The
 * transactions run one at a time on one thread the sink owns (made by the builder's thread factory
 * when the first transaction starts, ended by {@link #close()}), since {@code commitTransaction}
 * blocks. A stage completes on that thread when its transaction committed or failed, and on the
 * caller's thread when the batch is stale; dependent callbacks run there, so they must not block.
 * A stage's completion means: the transaction holding the batch's results and offsets has
 * committed (its results are visible to {@code read_committed} consumers and the group's offsets
 * are past the batch), or, for a stale batch, that nothing was published for it.
 *
 * <p><b>Rebalances.</b> When partitions of this member are revoked, the transaction running is
 * first allowed to commit (within the source's close timeout; past it the sink and the stream
 * fail). Then every batch delivered before the rebalance is stale: its {@code send} publishes and
 * commits nothing and completes at once (also when it was waiting for an earlier batch). The
 * partitions this member keeps are rewound to the first offset no transaction committed, and
 * records fetched and not delivered are dropped. A batch mixing records delivered before and after
 * such a rebalance is stale too, and makes the source rewind every partition once more. Lost
 * partitions (an eviction) are handled the same way without waiting.
 *
 * <p><b>What is delivered again.</b> After a rebalance: every record of a stale batch, by the new
 * owner of its partition or, for partitions kept, by this member. After a crash (or a transaction
 * that failed or was never committed): every record after the group's last committed offset, the
 * offset the last committed transaction wrote. Results of aborted or uncommitted transactions are
 * never visible to {@code read_committed} consumers, so each input record's results appear once.
 *
 * <p><b>Errors.</b> A transaction that fails is aborted; its stage fails with Kafka's exception,
 * the sends waiting after it fail with it too, and the source's stream fails after the records it
 * fetched before. A {@link ProducerFencedException} (another process took over this {@code
 * transactional.id}) closes the sink and the source. Refusals the producer retries by itself (a
 * coordinator moving) are retried within its own timeouts. An offset commit the group refuses
 * because it moved on (a {@link org.apache.kafka.clients.consumer.CommitFailedException} for a
 * stale generation or unknown member, a rebalance in progress) aborts the transaction without
 * failing anything: its batches are stale, as after a rebalance, and their records are delivered
 * again.
 *
 * @param <K> the results' key type
 * @param <V> the results' value type
 */
public final class KafkaBatchSink<K, V> implements AutoCloseable {

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final KafkaBatchSource<?, ?> source;
  private final Producer<K, V> producer;
  private final ReentrantLock lock;
  private final Duration closeTimeout;
  private final ExecutorService transactions;
  private final Object closing = new Object();

  /** Set by build(), before the sink is handed out; read-only afterwards. */
  private SinkLink link;

  /** Guarded by lock. */
  private boolean closed;

  private KafkaBatchSink(Builder<K, V> builder) {
    this.source = builder.source;
    this.producer = builder.producer;
    this.lock = source.lock();
    this.closeTimeout = source.closeTimeout();
    ThreadFactory factory =
        builder.threadFactory != null
            ? builder.threadFactory
            : task -> {
              Thread t = new Thread(task, "converge-kafka-sink-" + THREAD_IDS.incrementAndGet());
              t.setDaemon(true);
              return t;
            };
    this.transactions = Executors.newSingleThreadExecutor(factory);
  }

  /**
   * Starts building a sink on {@code source} writing with {@code producer}, which the sink owns
   * once {@link Builder#build()} succeeds.
   *
   * @param source the source whose batches are sent; not polled yet
   * @param producer a producer with a {@code transactional.id}
   * @param <K> the results' key type
   * @param <V> the results' value type
   * @return a builder
   */
  public static <K, V> Builder<K, V> builder(
      KafkaBatchSource<?, ?> source, Producer<K, V> producer) {
    return new Builder<>(
        Objects.requireNonNull(source, "source"), Objects.requireNonNull(producer, "producer"));
  }

  /**
   * Publishes {@code results} and commits {@code batch}'s offsets (per partition, 1 + its last
   * offset there) in one transaction (possibly shared with the batches sent after it), after the
   * transactions of every batch delivered before it.
   *
   * @param batch a batch of records the source delivered, made by its {@link BatchIterator}
   * @param results what to publish for it; possibly none
   * @return a stage that completes when the transaction has committed, at once when the batch is
   *     stale (nothing published), and fails with the transaction's failure, or with the failure
   *     or close that ended the sink before its turn
   */
  public CompletionStage<Void> send(
      Batch<? extends ConsumerRecord<?, ?>> batch,
      Collection<? extends ProducerRecord<K, V>> results) {
    Objects.requireNonNull(batch, "batch");
    List<ProducerRecord<K, V>> toPublish = List.copyOf(results);
    CompletableFuture<Void> stage = new CompletableFuture<>();
    AfterUnlock completions = new AfterUnlock();
    boolean wake = false;
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the sink is closed"));
      }
      if (link.sequencer.failure() != null) {
        return CompletableFuture.failedFuture(link.sequencer.failure());
      }
      long first = Long.MAX_VALUE;
      long last = -1;
      boolean stale = false;
      Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
      for (ConsumerRecord<?, ?> record : batch.items()) {
        long ordinal = link.deliveries.take(record);
        if (ordinal < 0) {
          stale = true;
          continue;
        }
        first = Math.min(first, ordinal);
        last = Math.max(last, ordinal);
        offsets.put(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1));
      }
      if (!stale) {
        link.sequencer.submit(
            new TransactionSequencer.Step(first, last, offsets, toPublish, stage), completions);
      } else {
        completions.complete(stage, null);
        if (last >= 0) {
          // Fresh records in a stale batch will not be committed: read everything again.
          link.sequencer.submit(
              new TransactionSequencer.Step(first, last, Map.of(), List.of(), null), completions);
          link.requestRewind();
          wake = source.nudge();
        }
      }
    } finally {
      lock.unlock();
    }
    source.runCompletions(completions);
    if (wake) {
      source.wakeConsumer();
    }
    pump();
    return stage;
  }

  /** The group metadata the transactions use now; null before the source's first poll. */
  ConsumerGroupMetadata groupMetadata() {
    return link.groupMetadata();
  }

  /** Starts the next transaction on the sink's thread, if one may start. Any thread, no lock. */
  private void pump() {
    AfterUnlock completions = new AfterUnlock();
    List<TransactionSequencer.Step> group;
    lock.lock();
    try {
      group = link.sequencer.next(completions);
    } finally {
      lock.unlock();
    }
    source.runCompletions(completions);
    if (group != null) {
      try {
        transactions.execute(() -> run(group));
      } catch (RejectedExecutionException e) {
        ended(group, new IllegalStateException("the sink is closed", e));
      }
    }
  }

  /** The sink's thread: one transaction holding the results and offsets of {@code group}. */
  private void run(List<TransactionSequencer.Step> group) {
    Map<TopicPartition, OffsetAndMetadata> offsets = TransactionSequencer.offsets(group);
    try {
      ConsumerGroupMetadata metadata = link.groupMetadata();
      producer.beginTransaction();
      for (TransactionSequencer.Step step : group) {
        for (ProducerRecord<?, ?> result : step.results) {
          @SuppressWarnings("unchecked") // send() took them as ProducerRecord<K, V>
          ProducerRecord<K, V> typed = (ProducerRecord<K, V>) result;
          producer.send(typed); // a failed send makes commitTransaction throw
        }
      }
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, metadata);
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
      ended(group, fenced);
      fencedOut();
      return;
    } catch (RuntimeException error) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException abortFailed) {
        error.addSuppressed(abortFailed);
        ended(group, error);
        return;
      }
      if (CommitErrors.groupRefusedTransaction(error)) {
        refusedByGroup(group);
      } else {
        ended(group, error);
      }
      return;
    }
    AfterUnlock completions = new AfterUnlock();
    lock.lock();
    try {
      link.sequencer.committed(group);
      offsets.forEach((partition, offset) -> link.deliveries.committed(partition, offset.offset()));
      for (TransactionSequencer.Step step : group) {
        if (step.stage != null) {
          completions.complete(step.stage, null);
        }
      }
    } finally {
      lock.unlock();
    }
    source.runCompletions(completions);
    pump();
  }

  /**
   * The group refused the transaction's offsets (its generation or member moved on: a rebalance
   * this transaction's metadata did not know) and the transaction was aborted, so nothing of it is
   * visible. Its batches are stale, like those of a revoking rebalance: their stages complete, and
   * the source rewinds every partition to what transactions committed, so their records, and
   * every record delivered after them, are delivered again and committed with fresh metadata.
   * Retrying the same transaction instead could commit records the partition's next owner reads
   * again.
   */
  private void refusedByGroup(List<TransactionSequencer.Step> group) {
    AfterUnlock completions = new AfterUnlock();
    boolean wake;
    lock.lock();
    try {
      link.sequencer.abandoned();
      link.requestRewind();
      for (TransactionSequencer.Step step : group) {
        if (step.stage != null) {
          completions.complete(step.stage, null);
        }
      }
      wake = source.nudge();
    } finally {
      lock.unlock();
    }
    source.runCompletions(completions);
    if (wake) {
      source.wakeConsumer();
    }
  }

  /** The transaction holding {@code group} failed: the sink and the stream fail. */
  private void ended(List<TransactionSequencer.Step> group, RuntimeException error) {
    AfterUnlock completions = new AfterUnlock();
    boolean wake;
    lock.lock();
    try {
      link.sequencer.failed(error, completions);
      for (TransactionSequencer.Step step : group) {
        if (step.stage != null) {
          completions.fail(step.stage, error);
        }
      }
      wake = source.failFromSink(error, completions);
    } finally {
      lock.unlock();
    }
    source.runCompletions(completions);
    if (wake) {
      source.wakeConsumer();
    }
  }

  /** Another process took over the transactional.id: close the producer and the source. */
  private void fencedOut() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    producer.close(Duration.ZERO);
    source.close();
    transactions.shutdown();
  }

  /**
   * Closes the sink: waits (at most the source's close timeout) for the transactions already sent
   * and due to run, fails the sends still waiting for an earlier batch, ends the sink's thread and
   * closes the producer. A transaction still open at the deadline is cut off by closing the
   * producer at once; the broker aborts it (at the latest when its transaction timeout passes, or
   * when the next producer with this {@code transactional.id} starts). Idempotent. Does not close
   * the source.
   */
  @Override
  public void close() {
    synchronized (closing) {
      long deadline = System.nanoTime() + closeTimeout.toNanos();
      AfterUnlock completions = new AfterUnlock();
      lock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        while (!link.sequencer.drained()
            && link.sequencer.failure() == null
            && deadline - System.nanoTime() > 0) {
          try {
            link.sequencer.awaitChange(deadline - System.nanoTime());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        link.sequencer.fail(new IllegalStateException("the sink is closed"), completions);
      } finally {
        lock.unlock();
      }
      source.runCompletions(completions);
      transactions.shutdown();
      boolean ended;
      try {
        ended =
            transactions.awaitTermination(
                Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = false;
      }
      producer.close(
          ended ? Duration.ofNanos(Math.max(0, deadline - System.nanoTime())) : Duration.ZERO);
    }
  }

  /**
   * Builds a {@link KafkaBatchSink}.
   *
   * @param <K> the results' key type
   * @param <V> the results' value type
   */
  public static final class Builder<K, V> {
    private final KafkaBatchSource<?, ?> source;
    private final Producer<K, V> producer;
    private ThreadFactory threadFactory;

    private Builder(KafkaBatchSource<?, ?> source, Producer<K, V> producer) {
      this.source = source;
      this.producer = producer;
    }

    /**
     * Makes the sink's one thread, which runs the transactions; default: a daemon thread named
     * {@code converge-kafka-sink-N}.
     *
     * @param factory called when the first transaction starts
     * @return this builder
     */
    public Builder<K, V> threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Builds the sink: calls {@code initTransactions} (blocking, within the producer's {@code
     * max.block.ms}) and attaches the sink to the source. If it throws, the producer is still the
     * caller's.
     *
     * @return the sink, which owns the producer from now on
     * @throws IllegalStateException if the producer has no {@code transactional.id}, or the source
     *     was polled or closed already, or has a sink
     */
    public KafkaBatchSink<K, V> build() {
      try {
        producer.initTransactions();
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            "the producer needs a transactional.id (one per running"
                + " process) for the sink's transactions: "
                + e.getMessage(),
            e);
      }
      KafkaBatchSink<K, V> sink = new KafkaBatchSink<>(this);
      sink.link = source.attachSink(sink::pump);
      return sink;
    }
  }
}
