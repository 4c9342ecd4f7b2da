package dev.converge.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes records that cannot be deserialized to a dead-letter topic, with their original bytes
 * and headers and the {@code converge.dlt.*} headers, and waits for the broker's acknowledgement.
 *
 * <p>Runs on the source's thread. The producer belongs to the source, which closes it.
 */
final class DeadLetterPublisher {

  static final String TOPIC = "converge.dlt.topic";
  static final String PARTITION = "converge.dlt.partition";
  static final String OFFSET = "converge.dlt.offset";
  static final String EXCEPTION = "converge.dlt.exception";
  static final String MESSAGE = "converge.dlt.message";

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final LongAdder published = new LongAdder();

  DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** How many dead letters the broker has acknowledged. */
  long published() {
    return published.sum();
  }

  /**
   * Publishes the record {@code error} is about and waits for the acknowledgement.
   *
   * @throws KafkaException when the publish fails or is not acknowledged within {@code timeout}
   */
  void publish(RecordDeserializationException error, Duration timeout) {
    TopicPartition from = error.topicPartition();
    RecordHeaders headers = new RecordHeaders();
    if (error.headers() != null) {
      for (Header header : error.headers()) {
        headers.add(header);
      }
    }
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    headers.add(TOPIC, utf8(from.topic()));
    headers.add(PARTITION, utf8(Integer.toString(from.partition())));
    headers.add(OFFSET, utf8(Long.toString(error.offset())));
    headers.add(EXCEPTION, utf8(cause.getClass().getName()));
    headers.add(MESSAGE, utf8(String.valueOf(cause.getMessage())));
    ProducerRecord<byte[], byte[]> letter =
        new ProducerRecord<>(
            topic,
            null,
            error.timestamp() >= 0 ? error.timestamp() : null,
            bytes(error.keyBuffer()),
            bytes(error.valueBuffer()),
            headers);
    try {
      producer.send(letter).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException(
          "the dead letter of "
              + from
              + " offset "
              + error.offset()
              + " was not acknowledged within "
              + timeout,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while publishing a dead letter", e);
    }
    published.increment();
  }

  /** Closes the producer. */
  void close(Duration timeout) {
    producer.close(timeout);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
