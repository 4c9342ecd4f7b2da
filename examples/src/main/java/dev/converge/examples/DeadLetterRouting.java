package dev.converge.examples;

import dev.converge.kafka.KafkaBatchSourceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where {@code --dead-letter-topic} sends what is not an order, and what the service rejects.
 *
 * <ul>
 *   <li>A record that is not an order (not JSON, a field missing or of the wrong type) is
 *       published by the source itself ({@code KafkaBatchSourceBuilder.deadLetters}), with the
 *       {@code converge.dlt.*} headers naming where it was and why.
 *   <li>An order rejected after reading (its customer is not in the database) is published by the
 *       service, with the same headers ({@code converge.dlt.exception} is {@link #REJECTED}), as
 *       a result of its batch: with {@code --sink kafka}, in the batch's transaction.
 * </ul>
 */
final class DeadLetterRouting {

  /** The {@code converge.dlt.exception} header of an order the service rejected. */
  static final String REJECTED = "dev.converge.examples.RejectedOrder";

  private DeadLetterRouting() {}

  /**
   * Sends the source's undeserializable records to the dead-letter topic, if there is one.
   *
   * @param source the source being built
   * @param options the brokers and the dead-letter topic
   * @param <V> the source's value type
   */
  static <V> void configure(KafkaBatchSourceBuilder<String, V> source, ServiceOptions options) {
    if (options.deadLetterTopic() == null) {
      return;
    }
    Map<String, Object> config = new HashMap<>(KafkaClients.shared(options));
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    source.deadLetters(
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
        options.deadLetterTopic());
  }

  /**
   * The dead letter of an order the service rejected: its record's key and original value
   * (re-encoded), with the record's own headers and the {@code converge.dlt.*} ones.
   *
   * @param topic the dead-letter topic
   * @param record the order's record
   * @param reason why it was rejected
   * @return the record to publish
   */
  static ProducerRecord<String, String> rejected(
      String topic, ConsumerRecord<String, OrderMessage> record, String reason) {
    ProducerRecord<String, String> letter =
        new ProducerRecord<>(
            topic,
            null,
            record.timestamp(),
            record.key(),
            new String(OrderJson.write(record.value()), StandardCharsets.UTF_8));
    for (Header header : record.headers()) {
      letter.headers().add(header);
    }
    letter
        .headers()
        .add("converge.dlt.topic", utf8(record.topic()))
        .add("converge.dlt.partition", utf8(Integer.toString(record.partition())))
        .add("converge.dlt.offset", utf8(Long.toString(record.offset())))
        .add("converge.dlt.exception", utf8(REJECTED))
        .add("converge.dlt.message", utf8(reason));
    return letter;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
