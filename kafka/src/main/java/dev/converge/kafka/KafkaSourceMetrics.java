package dev.converge.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * Receives what a {@link KafkaBatchSource} does with its consumer: each commit (its latency, and
 * whether it was acknowledged, will be retried or failed), pausing and resuming, how many records
 * it holds, rebalances, and dead letters. Set it with {@link KafkaBatchSourceBuilder#metrics}.
 * Every method has an empty default, so an implementation overrides only what it wants.
 *
 * <pre>{@code
 * KafkaBatchSource<String, Order> source = KafkaBatchSource.builder(consumer)
 *     .topics("orders")
 *     .metrics(new KafkaSourceMetrics() {
 *       @Override
 *       public void commitFailed(int partitions, long latencyNanos, Throwable error) {
 *         log.warn("commit failed", error);
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>{@code converge-micrometer} binds it to a Micrometer {@code MeterRegistry}.
 *
 * <p><b>When it is called.</b> Per commit request, per consumer poll and per rebalance callback,
 * never per record, and on the source's own thread, with no lock of the source held. (The source's
 * thread is the one that owns the consumer, so a slow method delays polling and commits: keep them
 * quick.) An exception a method throws is passed to that thread's uncaught exception handler and
 * goes no further: the source goes on as if the method had returned.
 *
 * <p>Latencies are in nanoseconds of {@link System#nanoTime()}.
 */
public interface KafkaSourceMetrics {

  /** Reports nothing; the default. */
  KafkaSourceMetrics NOOP =
      new KafkaSourceMetrics() {
        @Override
        public String toString() {
          return "KafkaSourceMetrics.NOOP";
        }
      };

  /**
   * The broker acknowledged a commit.
   *
   * @param partitions how many partitions it covered
   * @param latencyNanos from sending the commit to its acknowledgement
   */
  default void commitAcknowledged(int partitions, long latencyNanos) {}

  /**
   * The broker refused a commit for a reason that retrying cures (a rebalance in progress, a stale
   * member epoch, a coordinator moving). Its offsets are sent again after a short backoff, so a
   * {@link #commitAcknowledged} or {@link #commitFailed} of the retry follows.
   *
   * @param partitions how many partitions it covered
   * @param latencyNanos from sending the commit to the refusal
   * @param cause the refusal, as Kafka reported it
   */
  default void commitRetried(int partitions, long latencyNanos, Throwable cause) {}

  /**
   * A commit failed and will not be sent again: the broker refused it for good (the stages of
   * {@link KafkaBatchSource#commit} waiting for it fail with {@code error}), or it was still
   * refused when its time ran out during a rebalance or close (the partitions' next owner reads the
   * records again).
   *
   * @param partitions how many partitions it covered
   * @param latencyNanos from sending this attempt to its refusal (earlier attempts of the same
   *     offsets were reported by {@link #commitRetried})
   * @param error the refusal, as Kafka reported it
   */
  default void commitFailed(int partitions, long latencyNanos, Throwable error) {}

  /**
   * The source paused every partition because no poll is pending (the iterator's prefetch is full,
   * so the consumer is the bottleneck), or resumed them when a poll came. Called on each change
   * only; the source starts running (not paused).
   *
   * @param paused true when it paused, false when it resumed
   */
  default void pausedChanged(boolean paused) {}

  /**
   * How many records the source holds, sampled after every {@code consumer.poll}.
   *
   * @param fetched records fetched from the broker and not yet delivered to a poll (at most about
   *     {@code max.poll.records} beyond what a pending poll takes)
   * @param deliveredUnmarked records delivered and not yet marked processed by {@link
   *     KafkaBatchSource#commit}: batches in the iterator and with the application. After a
   *     rebalance the new owner reads these again
   */
  default void recordsHeld(long fetched, long deliveredUnmarked) {}

  /**
   * Partitions were assigned to this member, in one rebalance callback.
   *
   * @param partitions how many; at least 1
   */
  default void partitionsAssigned(int partitions) {}

  /**
   * Partitions were revoked from this member (after committing what was marked for them), in one
   * rebalance callback.
   *
   * @param partitions how many; at least 1
   */
  default void partitionsRevoked(int partitions) {}

  /**
   * Partitions were lost by this member (it was evicted from the group; nothing was committed for
   * them), in one rebalance callback.
   *
   * @param partitions how many; at least 1
   */
  default void partitionsLost(int partitions) {}

  /**
   * A record that could not be deserialized was published to the dead-letter topic, and the broker
   * acknowledged it. Called only by a source with dead letters set up, which docs/design.md section
   * 7.1 plans; a source without them never calls it.
   *
   * @param from the partition the record came from
   * @param offset its offset there
   */
  default void deadLettered(TopicPartition from, long offset) {}
}
