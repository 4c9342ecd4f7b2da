package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.fixtures.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dead letters on a real broker: undeserializable records reach the dead-letter topic with their
 * bytes and the {@code converge.dlt.*} headers, the stream goes on, and the offsets reach the end;
 * and {@code enable.auto.commit=true} is rejected.
 */
class DeadLetterBrokerTest {

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** Refuses values that start with "bad". */
  static final class PickyDeserializer implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] data) {
      String value = new String(data, StandardCharsets.UTF_8);
      if (value.startsWith("bad")) {
        throw new SerializationException("not an order: " + value);
      }
      return value;
    }
  }

  private static KafkaProducer<byte[], byte[]> bytesProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void undeserializableRecordsGoToTheDeadLetterTopicAndTheStreamGoesOn() throws Exception {
    String topic = broker.createTopic("dlt-in", 2);
    String dlt = broker.createTopic("dlt", 1);
    String group = KafkaBroker.unique("group");
    produceWithBadRecords(topic);

    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            broker.consumerConfig(group, "consumer"),
            new StringDeserializer(),
            new PickyDeserializer());
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(consumer)
            .topics(topic)
            .pollTimeout(Duration.ofMillis(50))
            .deadLetters(bytesProducer(), dlt)
            .build();
    Set<String> delivered = new HashSet<>();
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(source).maxSize(20).maxWait(Duration.ofMillis(5)).build();
    try {
      while (delivered.size() < 60) {
        Batch<ConsumerRecord<String, String>> batch =
            batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
        batch.items().forEach(r -> delivered.add(r.value()));
        source.commit(batch).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      Await.until(
          "the offsets committed to the end of every partition",
          () -> {
            try {
              return broker.committed(group).equals(broker.endOffsets(topic, 2));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      assertEquals(3, source.deadLetterCount());
    } finally {
      batches.close();
    }
    assertEquals(60, delivered.size());

    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(dlt, 0);
      reader.assign(List.of(partition));
      reader.seekToBeginning(List.of(partition));
      Await.until(
          "three dead letters",
          () -> {
            reader.poll(Duration.ofMillis(100)).forEach(letters::add);
            return letters.size() >= 3;
          });
    }
    assertEquals(3, letters.size());
    Map<String, Integer> badPartition = Map.of("bad-a", 0, "bad-b", 1, "bad-c", 1);
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      String value = new String(letter.value(), StandardCharsets.UTF_8);
      assertTrue(badPartition.containsKey(value), value);
      assertArrayEquals(utf8("k" + value.charAt(4)), letter.key());
      assertEquals(topic, header(letter, "converge.dlt.topic"));
      assertEquals(
          Integer.toString(badPartition.get(value)), header(letter, "converge.dlt.partition"));
      long offset = Long.parseLong(header(letter, "converge.dlt.offset"));
      assertEquals(Map.of("bad-a", 16L, "bad-b", 15L, "bad-c", 31L).get(value), offset);
      assertEquals(
          SerializationException.class.getName(), header(letter, "converge.dlt.exception"));
      assertEquals("not an order: " + value, header(letter, "converge.dlt.message"));
      if (value.equals("bad-c")) {
        assertEquals("test", header(letter, "origin"));
      }
    }
  }

  /**
   * Good records 0..59 (keys k0..k59), with bad ones in the middle of partition 0 (bad-a, offset
   * 16), the middle of partition 1 (bad-b, offset 15), and at the very end of partition 1 (bad-c,
   * offset 31, with a header of its own).
   */
  private static void produceWithBadRecords(String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = bytesProducer()) {
      for (int i = 0; i < 60; i++) {
        producer.send(new ProducerRecord<>(topic, i % 2, utf8("k" + i), utf8(Integer.toString(i))));
        if (i == 30) {
          producer.send(new ProducerRecord<>(topic, 0, utf8("ka"), utf8("bad-a")));
          producer.send(new ProducerRecord<>(topic, 1, utf8("kb"), utf8("bad-b")));
        }
      }
      ProducerRecord<byte[], byte[]> last =
          new ProducerRecord<>(topic, 1, utf8("kc"), utf8("bad-c"));
      last.headers().add("origin", utf8("test"));
      producer.send(last).get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void withASinkDeadLettersAreCommittedByTransactions() throws Exception {
    String topic = broker.createTopic("dlt-sink-in", 2);
    String dlt = broker.createTopic("dlt-sink", 1);
    String out = broker.createTopic("dlt-sink-out", 1);
    String group = KafkaBroker.unique("group");
    produceWithBadRecords(topic);
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            broker.consumerConfig(group, "classic"),
            new StringDeserializer(),
            new PickyDeserializer());
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(consumer)
            .topics(topic)
            .pollTimeout(Duration.ofMillis(50))
            .deadLetters(bytesProducer(), dlt)
            .build();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaBroker.unique("tx"));
    KafkaBatchSink<String, String> sink =
        KafkaBatchSink.builder(
                source, new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
            .build();
    Set<String> delivered = new HashSet<>();
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(source).maxSize(20).maxWait(Duration.ofMillis(5)).build();
    try {
      while (delivered.size() < 60) {
        Batch<ConsumerRecord<String, String>> batch =
            batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
        List<ProducerRecord<String, String>> results = new ArrayList<>();
        batch
            .items()
            .forEach(
                r -> {
                  delivered.add(r.value());
                  results.add(new ProducerRecord<>(out, r.value()));
                });
        sink.send(batch, results).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      Await.until(
          "the transactions committed to the end of every partition",
          () -> {
            try {
              return broker.committed(group).equals(broker.endOffsets(topic, 2));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      assertEquals(3, source.deadLetterCount());
    } finally {
      batches.close();
      sink.close();
    }
    assertEquals(60, delivered.size());
  }

  private static String header(ConsumerRecord<?, ?> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void autoCommitIsRejected(String protocol) {
    Map<String, Object> config = broker.consumerConfig(KafkaBroker.unique("group"), protocol);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
    try (KafkaConsumer<String, String> consumer = broker.consumer(config)) {
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> KafkaBatchSource.builder(consumer).topics("orders").build());
      assertTrue(refused.getMessage().contains("enable.auto.commit"), refused.getMessage());
    }
  }
}
