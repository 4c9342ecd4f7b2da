/**
 * Converge on Kafka: {@link dev.converge.kafka.KafkaBatchSource}, a {@link dev.converge.batch.BatchSource}
 * over a Kafka consumer group with commit after processing.
 *
 * <p>{@code kafka-clients} has no module descriptor, so it is read as the automatic module
 * {@code kafka.clients}; its types appear in this module's API, so it is required transitively.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.converge.kafka {
  requires transitive dev.converge;
  requires transitive kafka.clients;

  exports dev.converge.kafka;
}
