/**
 * Converge on Kafka: {@link dev.converge.kafka.KafkaBatchSource}, a
 * {@link dev.converge.batch.BatchSource} over a Kafka consumer group with commit after processing,
 * pause/resume backpressure and rebalance handling, for use with
 * {@link dev.converge.batch.BatchIterator}; and {@link dev.converge.kafka.KafkaBatchSink}, which
 * writes each batch's results to Kafka exactly once, in one transaction with its offsets.
 */
package dev.converge.kafka;
