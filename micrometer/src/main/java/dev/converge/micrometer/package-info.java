/**
 * Micrometer meters for Converge: {@link dev.converge.micrometer.MicrometerBatchMetrics} for a
 * {@link dev.converge.batch.BatchIterator}, {@link
 * dev.converge.micrometer.MicrometerKafkaSourceMetrics} for a {@link
 * dev.converge.kafka.KafkaBatchSource} (and, where asked, the Kafka consumer's own metrics through
 * Micrometer's {@code KafkaClientMetrics}).
 *
 * <p>Meter names follow Micrometer's dotted convention under {@code converge.}; every meter carries
 * a {@code name} tag with the name the application gives the iterator or source, plus any tags it
 * adds. A Prometheus registry renders them in its own convention, with the base unit and {@code
 * _total} appended: {@code converge.batch.fill} as {@code converge_batch_fill_seconds}, {@code
 * converge.batches} as {@code converge_batches_total}, {@code converge.kafka.held} as {@code
 * converge_kafka_held_records}.
 */
package dev.converge.micrometer;
