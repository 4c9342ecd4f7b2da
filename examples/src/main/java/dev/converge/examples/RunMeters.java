package dev.converge.examples;

import dev.converge.batch.BatchMetrics;
import dev.converge.kafka.KafkaSourceMetrics;
import dev.converge.micrometer.MicrometerBatchMetrics;
import dev.converge.micrometer.MicrometerKafkaSourceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Where a run's batch iterator and Kafka source report: into the registry behind {@code
 * --metrics-port}, through {@code converge-micrometer}, or, without the flag, nowhere (the
 * iterator and the source then do no work for metrics at all).
 */
final class RunMeters {

  /** A run without {@code --metrics-port}: every listener is the no-op default. */
  static final RunMeters NONE = new RunMeters(null);

  /** Null for {@link #NONE}. */
  private final MeterRegistry registry;

  private RunMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Returns the meters of a run that serves {@code registry}.
   *
   * @param registry where the meters go
   * @return the run's meters
   */
  static RunMeters in(MeterRegistry registry) {
    return new RunMeters(registry);
  }

  /**
   * Returns the listener of a batch iterator.
   *
   * @param name the iterator's {@code name} tag
   * @return the Micrometer listener, or {@link BatchMetrics#NOOP}
   */
  BatchMetrics batches(String name) {
    return registry == null ? BatchMetrics.NOOP : MicrometerBatchMetrics.create(registry, name);
  }

  /**
   * Returns the listener of a Kafka source, and binds its consumer's own metrics.
   *
   * @param name the source's {@code name} tag
   * @param consumer the consumer the source reads with
   * @return the listener, and what unbinds the consumer's metrics once the source is closed
   */
  KafkaMeters kafkaSource(String name, Consumer<?, ?> consumer) {
    if (registry == null) {
      return new KafkaMeters(KafkaSourceMetrics.NOOP, null);
    }
    MicrometerKafkaSourceMetrics metrics = MicrometerKafkaSourceMetrics.create(registry, name);
    return new KafkaMeters(metrics, metrics.bindClientMetrics(consumer));
  }

  /**
   * The meters of one Kafka source.
   *
   * @param source the source's listener
   * @param client the consumer's own metrics, or null when the run reports nowhere
   */
  record KafkaMeters(KafkaSourceMetrics source, KafkaClientMetrics client)
      implements AutoCloseable {

    /** Stops refreshing the consumer's metrics; call it once the source is closed. */
    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
    }
  }
}
