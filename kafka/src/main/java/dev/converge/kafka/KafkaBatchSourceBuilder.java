package dev.converge.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Builds a {@link KafkaBatchSource}: {@link KafkaBatchSource#builder(Consumer)} starts one. (A
 * class of its own rather than a nested {@code KafkaBatchSourceBuilder}, so that each of the two
 * files stays within the project's 500-line budget.)
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public final class KafkaBatchSourceBuilder<K, V> {
  final Consumer<K, V> consumer;
  List<String> topics = List.of();
  Duration pollTimeout = Duration.ofMillis(100);
  Duration closeTimeout = Duration.ofSeconds(30);
  Duration startupTimeout = Duration.ofSeconds(10);
  ThreadFactory threadFactory;
  KafkaSourceMetrics metrics = KafkaSourceMetrics.NOOP;
  Executor completionExecutor;
  int maxUnmarkedRecords = 100_000;
  Producer<byte[], byte[]> deadLetterProducer;
  String deadLetterTopic;

  KafkaBatchSourceBuilder(Consumer<K, V> consumer) {
    this.consumer = consumer;
  }

  /**
   * The topics to subscribe to (replacing any set before).
   *
   * @param topics at least one topic name
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> topics(String... topics) {
    return topics(List.of(topics));
  }

  /**
   * The topics to subscribe to (replacing any set before).
   *
   * @param topics at least one topic name
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> topics(Collection<String> topics) {
    List<String> copy = List.copyOf(topics);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("topics must name at least one topic");
    }
    for (String topic : copy) {
      if (topic.isBlank()) {
        throw new IllegalArgumentException("a topic name must not be blank");
      }
    }
    this.topics = copy;
    return this;
  }

  /**
   * How long one {@code consumer.poll} waits for records; default 100 ms. A request from another
   * thread (a poll, a commit, close) wakes the consumer up at once, so this bounds only how often
   * an idle source calls {@code poll}.
   *
   * @param timeout positive
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> pollTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("pollTimeout must be positive, was " + timeout);
    }
    this.pollTimeout = timeout;
    return this;
  }

  /**
   * The longest {@link KafkaBatchSource#close()} spends committing what is marked and leaving the
   * group; default 30 s. It bounds the commit of revoked partitions during a rebalance as well.
   *
   * @param timeout zero or positive
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> closeTimeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
    }
    this.closeTimeout = timeout;
    return this;
  }

  /**
   * Makes the source's one thread; default: a daemon thread named
   * {@code converge-kafka-N-[topics]}. If it returns null or the thread cannot start, the first
   * poll fails with an {@link IllegalStateException} naming the cause, and the consumer is
   * closed.
   *
   * @param factory called once, by the first poll
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> threadFactory(ThreadFactory factory) {
    this.threadFactory = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Where the source reports its commits, pauses, held records and rebalances; default {@link
   * KafkaSourceMetrics#NOOP}. It is called on the source's thread, per commit, consumer poll and
   * rebalance callback, never per record; see {@link KafkaSourceMetrics}.
   *
   * @param metrics the listener, for example {@code converge-micrometer}'s
   * @return this builder
   * @throws NullPointerException if {@code metrics} is null
   */
  public KafkaBatchSourceBuilder<K, V> metrics(KafkaSourceMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /**
   * Where the stages this source returns complete when the source's own thread decides them (an
   * acknowledgement from the broker, records that a waiting poll gets, a revocation); default:
   * {@link dev.converge.ConvergeExecutors#defaultExecutor()} (a virtual thread per task on Java 21+, daemon
   * threads before). So the callbacks chained to those stages, and a {@code BatchIterator}'s
   * handler, never run on the consumer's thread, and a callback that blocks does not delay
   * {@code consumer.poll}. A stage decided on a caller's thread (records that were already
   * fetched, a commit that needs no waiting) completes on that thread. An executor that refuses
   * the task makes the stage complete on the source's thread after all.
   *
   * @param executor runs one task per batch of completions
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> completionExecutor(Executor executor) {
    this.completionExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * The most records delivered and not yet marked (by {@code commit}) that the source holds;
   * default 100 000. Each such record is kept until it is marked or its partition moves, and
   * holds back its partition's commit. Once the limit is reached, the source delivers no more
   * records: a poll waits (its partitions paused, the member still in the group) until marks make
   * room, and gets no more records than there is room for. Reaching it is logged as a warning
   * (logger {@code dev.converge.kafka.KafkaBatchSource}), and {@link
   * KafkaBatchSource#unmarkedRecords()} tells the count. Set it above what the application keeps
   * in flight (batch size × batches processed at once, plus the iterator's prefetch), or the
   * stream stalls waiting for records that cannot come.
   *
   * @param limit at least 1
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> maxUnmarkedRecords(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("maxUnmarkedRecords must be at least 1, was " + limit);
    }
    this.maxUnmarkedRecords = limit;
    return this;
  }

  /**
   * The longest the source's thread waits for the metadata of one topic at startup (the check
   * that the topics exist); default 10 s. If the brokers do not answer within it, the check is
   * left to {@code consumer.poll}, which waits for them. {@link KafkaBatchSource#close()} ends
   * the wait at once.
   *
   * @param timeout positive
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> startupTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
    }
    this.startupTimeout = timeout;
    return this;
  }

  /**
   * Sends records that cannot be deserialized to a dead-letter topic instead of failing the
   * stream; off by default. Such a record is published with its original key, value, headers
   * and timestamp, plus the headers {@code converge.dlt.topic}, {@code converge.dlt.partition},
   * {@code converge.dlt.offset} (decimal text), {@code converge.dlt.exception} (the cause's class
   * name) and {@code converge.dlt.message}. Once the broker has acknowledged it (waiting at most
   * the close timeout, on the source's thread), the record counts as processed: it is committed
   * like a marked record (and by a sink's transactions), and the source goes on after it. Dead
   * letters are at least once: a crash between the publish and the commit may publish one
   * twice. A publish that fails fails the stream.
   *
   * @param producer a producer of raw bytes, which the source owns from now on and closes
   * @param topic the dead-letter topic
   * @return this builder
   */
  public KafkaBatchSourceBuilder<K, V> deadLetters(
      Producer<byte[], byte[]> producer, String topic) {
    Objects.requireNonNull(producer, "producer");
    if (Objects.requireNonNull(topic, "topic").isBlank()) {
      throw new IllegalArgumentException("the dead-letter topic must not be blank");
    }
    this.deadLetterProducer = producer;
    this.deadLetterTopic = topic;
    return this;
  }

  /**
   * Builds the source. Nothing touches the consumer until the first poll.
   *
   * @return the source
   * @throws IllegalStateException if no topic was set, or the consumer has {@code
   *     enable.auto.commit=true}
   */
  public KafkaBatchSource<K, V> build() {
    if (topics.isEmpty()) {
      throw new IllegalStateException(
          "set the topics to subscribe to: builder(consumer).topics(\"orders\")");
    }
    if (AutoCommitCheck.autoCommits(consumer)) {
      throw new IllegalStateException(
          "the consumer has enable.auto.commit=true: it would commit"
              + " records before they are processed; set enable.auto.commit=false");
    }
    return new KafkaBatchSource<>(this);
  }
}
