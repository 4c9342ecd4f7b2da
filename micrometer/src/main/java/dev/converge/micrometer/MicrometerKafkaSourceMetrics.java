package dev.converge.micrometer;

import dev.converge.kafka.KafkaSourceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link KafkaSourceMetrics} that records what a {@code KafkaBatchSource} does in a Micrometer
 * {@link MeterRegistry}, and, where asked, the consumer's own client metrics.
 *
 * <pre>{@code
 * MicrometerKafkaSourceMetrics metrics = MicrometerKafkaSourceMetrics.create(registry, "orders");
 * KafkaClientMetrics clientMetrics = metrics.bindClientMetrics(consumer);  // optional
 * KafkaBatchSource<String, Order> source = KafkaBatchSource.builder(consumer)
 *     .topics("orders")
 *     .metrics(metrics)
 *     .build();
 * // ... after the source is closed:
 * clientMetrics.close();
 * }</pre>
 *
 * <p>The meters, each tagged {@code name} with the given name and with the given tags:
 *
 * <table>
 *   <caption>Kafka source meters</caption>
 *   <tr><th>meter</th><th>type</th><th>what it measures</th></tr>
 *   <tr><td>{@code converge.kafka.commit}</td><td>timer, tags {@code outcome}: {@code
 *       acknowledged}, {@code retried}, {@code failed}; {@code exception}: the refusal's simple
 *       class name, or {@code none}</td><td>commit requests, from sending to the broker's
 *       answer</td></tr>
 *   <tr><td>{@code converge.kafka.paused}</td><td>gauge</td><td>1 while the source has paused its
 *       partitions because the consumer of the batches is behind, 0 while it fetches</td></tr>
 *   <tr><td>{@code converge.kafka.held}</td><td>gauge, base unit
 *       {@code records}</td><td>records fetched and not yet delivered, at the last consumer
 *       poll</td></tr>
 *   <tr><td>{@code converge.kafka.unmarked}</td><td>gauge, base unit
 *       {@code records}</td><td>records delivered and not yet marked processed, at the last
 *       consumer poll</td></tr>
 *   <tr><td>{@code converge.kafka.rebalances}</td><td>counter, tag {@code kind}: {@code
 *       assigned}, {@code revoked}, {@code lost}</td><td>rebalance callbacks that moved at least
 *       one partition</td></tr>
 *   <tr><td>{@code converge.kafka.rebalance.partitions}</td><td>counter, tag {@code kind}, base
 *       unit {@code partitions}</td><td>partitions those callbacks moved</td></tr>
 *   <tr><td>{@code converge.kafka.dead.letters}</td><td>counter</td><td>records published to the
 *       dead-letter topic</td></tr>
 * </table>
 *
 * <p>Meters are registered when this object is created, so they are there (at zero) before the
 * source starts. Give each source its own name: counters and timers of sources that share one add
 * up, but the gauges follow only the first of them. Thread-safe.
 */
public final class MicrometerKafkaSourceMetrics implements KafkaSourceMetrics {

  /** The tag every meter carries: the name the application gives the source. */
  public static final String NAME_TAG = MicrometerBatchMetrics.NAME_TAG;

  private final MeterRegistry registry;
  private final Tags tags;
  private final Timer acknowledged;
  private final AtomicLong paused = new AtomicLong();
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong unmarked = new AtomicLong();
  private final Rebalance assigned;
  private final Rebalance revoked;
  private final Rebalance lost;
  private final Counter deadLetters;

  private MicrometerKafkaSourceMetrics(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    this.acknowledged = commitTimer("acknowledged", null);
    Gauge.builder("converge.kafka.paused", paused, AtomicLong::get)
        .description(
            "1 while the source has paused its partitions because the batches' consumer"
                + " is behind, 0 while it fetches")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder("converge.kafka.held", held, AtomicLong::get)
        .description("Records fetched and not yet delivered, at the last consumer poll")
        .baseUnit("records")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder("converge.kafka.unmarked", unmarked, AtomicLong::get)
        .description("Records delivered and not yet marked processed, at the last consumer poll")
        .baseUnit("records")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    this.assigned = new Rebalance(registry, tags, "assigned");
    this.revoked = new Rebalance(registry, tags, "revoked");
    this.lost = new Rebalance(registry, tags, "lost");
    this.deadLetters =
        Counter.builder("converge.kafka.dead.letters")
            .description(
                "Records that could not be deserialized, published to the dead-letter" + " topic")
            .tags(tags)
            .register(registry);
  }

  /**
   * Registers the Kafka source meters for a source named {@code name}.
   *
   * @param registry where the meters go
   * @param name the value of every meter's {@code name} tag, for example the topic's name
   * @return the metrics to pass to {@code KafkaBatchSourceBuilder.metrics}
   * @throws NullPointerException if an argument is null
   */
  public static MicrometerKafkaSourceMetrics create(MeterRegistry registry, String name) {
    return create(registry, name, Tags.empty());
  }

  /**
   * Registers the Kafka source meters for a source named {@code name}, with more tags of the
   * application's own.
   *
   * @param registry where the meters go
   * @param name the value of every meter's {@code name} tag, for example the topic's name
   * @param tags added to every meter (a tag {@code name} among them is replaced by {@code name})
   * @return the metrics to pass to {@code KafkaBatchSourceBuilder.metrics}
   * @throws NullPointerException if an argument is null
   */
  public static MicrometerKafkaSourceMetrics create(
      MeterRegistry registry, String name, Iterable<Tag> tags) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tags, "tags");
    return new MicrometerKafkaSourceMetrics(registry, Tags.of(tags).and(NAME_TAG, name));
  }

  /**
   * Registers the consumer's own metrics (fetch rates, lag, request latencies, coordinator and
   * rebalance figures: {@code kafka.consumer.*}) in the same registry, through Micrometer's {@link
   * KafkaClientMetrics}, with this object's tags. Micrometer reads them from {@link
   * Consumer#metrics()}, the one consumer method Kafka allows from any thread, so this does not
   * break the source's ownership of the consumer; it may be called before or after the source is
   * built.
   *
   * @param consumer the consumer the source reads with
   * @return the binder, already bound; close it once the source is closed, to stop its refresh
   *     thread
   * @throws NullPointerException if {@code consumer} is null
   */
  public KafkaClientMetrics bindClientMetrics(Consumer<?, ?> consumer) {
    KafkaClientMetrics clientMetrics =
        new KafkaClientMetrics(Objects.requireNonNull(consumer, "consumer"), tags);
    clientMetrics.bindTo(registry);
    return clientMetrics;
  }

  @Override
  public void commitAcknowledged(int partitions, long latencyNanos) {
    acknowledged.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void commitRetried(int partitions, long latencyNanos, Throwable cause) {
    commitTimer("retried", cause).record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void commitFailed(int partitions, long latencyNanos, Throwable error) {
    commitTimer("failed", error).record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void pausedChanged(boolean paused) {
    this.paused.set(paused ? 1 : 0);
  }

  @Override
  public void recordsHeld(long fetched, long deliveredUnmarked) {
    held.set(fetched);
    unmarked.set(deliveredUnmarked);
  }

  @Override
  public void partitionsAssigned(int partitions) {
    assigned.record(partitions);
  }

  @Override
  public void partitionsRevoked(int partitions) {
    revoked.record(partitions);
  }

  @Override
  public void partitionsLost(int partitions) {
    lost.record(partitions);
  }

  @Override
  public void deadLettered(TopicPartition from, long offset) {
    deadLetters.increment();
  }

  /**
   * The commit timer for one outcome and exception. Refusals are rare, so looking their timer up in
   * the registry each time costs nothing that matters; the acknowledged one is kept.
   */
  private Timer commitTimer(String outcome, Throwable error) {
    return Timer.builder("converge.kafka.commit")
        .description("Commit requests, from sending to the broker's answer")
        .tags(tags)
        .tag("outcome", outcome)
        .tag("exception", error == null ? "none" : error.getClass().getSimpleName())
        .register(registry);
  }

  /** The two counters of one kind of rebalance callback. */
  private static final class Rebalance {
    private final Counter callbacks;
    private final Counter partitions;

    Rebalance(MeterRegistry registry, Tags tags, String kind) {
      callbacks =
          Counter.builder("converge.kafka.rebalances")
              .description("Rebalance callbacks that moved at least one partition")
              .tags(tags)
              .tag("kind", kind)
              .register(registry);
      partitions =
          Counter.builder("converge.kafka.rebalance.partitions")
              .description("Partitions moved by rebalance callbacks")
              .baseUnit("partitions")
              .tags(tags)
              .tag("kind", kind)
              .register(registry);
    }

    void record(int moved) {
      if (moved > 0) {
        callbacks.increment();
        partitions.increment(moved);
      }
    }
  }
}
