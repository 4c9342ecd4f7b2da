/**
 * Converge on Micrometer: binds the metrics hooks of {@link dev.converge.batch.BatchIterator} and
 * {@link dev.converge.kafka.KafkaBatchSource} to a Micrometer {@code MeterRegistry}.
 *
 * <p>{@code micrometer-core} has no module descriptor, so it is read as the automatic module
 * {@code micrometer.core}; its types appear in this module's API, so it is required transitively.
 * The Kafka module is optional ({@code requires static}): only {@link
 * dev.converge.micrometer.MicrometerKafkaSourceMetrics} needs it, and a batch-only application does
 * without it.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.converge.micrometer {
  requires transitive dev.converge;
  requires transitive micrometer.core;
  requires static dev.converge.kafka;

  exports dev.converge.micrometer;
}
