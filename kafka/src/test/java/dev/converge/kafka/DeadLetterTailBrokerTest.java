package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.fixtures.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dead letters at a partition's tail are committed (issue 18): a batch that holds records
 * delivered before and after the dead letters (so their offsets fall inside the batch's span of
 * deliveries) must commit them too, with a sink and without one; and after the member leaves, the
 * next member starts past them instead of dead-lettering them again.
 */
class DeadLetterTailBrokerTest {

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @ParameterizedTest(name = "with a sink: {0}")
  @ValueSource(booleans = {true, false})
  void deadLettersInsideABatchAtAPartitionsTailAreCommitted(boolean withSink) throws Exception {
    String topic = broker.createTopic("tail-in", 2);
    String dlt = broker.createTopic("tail-dlt", 1);
    String out = broker.createTopic("tail-out", 1);
    String group = KafkaBroker.unique("group");
    produce(topic, 0, "a0", "a1", "a2", "a3", "a4", "bad-0", "bad-1");

    KafkaBatchSource<String, String> first = source(topic, group, dlt);
    KafkaBatchSink<String, String> sink = withSink ? sink(first) : null;
    // A batch closes only when full, so it holds a0..a4 and b0..b4 with the dead letters between.
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(first).maxSize(10).maxWait(Duration.ofSeconds(60)).build();
    try {
      Await.until("both dead letters published", () -> first.deadLetterCount() == 2);
      produce(topic, 1, "b0", "b1", "b2", "b3", "b4");
      Batch<ConsumerRecord<String, String>> batch =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      assertEquals(
          List.of("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "b4"),
          KafkaBroker.values(batch.items()));
      if (sink != null) {
        List<ProducerRecord<String, String>> results = new ArrayList<>();
        batch.items().forEach(r -> results.add(new ProducerRecord<>(out, r.value())));
        sink.send(batch, results).toCompletableFuture().get(60, TimeUnit.SECONDS);
      } else {
        first.commit(batch).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      awaitCommittedAtEnd(group, topic);
      assertEquals(
          Map.of(new TopicPartition(topic, 0), 7L, new TopicPartition(topic, 1), 5L),
          broker.committed(group));
    } finally {
      batches.close();
      if (sink != null) {
        sink.close();
      }
    }

    // The member has left; the next one starts at the committed offsets, past the dead letters.
    produce(topic, 0, "a5");
    KafkaBatchSource<String, String> next = source(topic, group, dlt);
    BatchIterator<ConsumerRecord<String, String>> more =
        BatchIterator.builder(next).maxSize(1).build();
    try {
      Batch<ConsumerRecord<String, String>> batch =
          more.next().get(60, TimeUnit.SECONDS).orElseThrow();
      assertEquals(List.of("a5"), KafkaBroker.values(batch.items()));
      assertEquals(0, next.deadLetterCount());
      next.commit(batch).toCompletableFuture().get(60, TimeUnit.SECONDS);
      awaitCommittedAtEnd(group, topic);
    } finally {
      more.close();
    }
  }

  private static void awaitCommittedAtEnd(String group, String topic) throws Exception {
    try {
      Await.until(
          "the committed offsets at the end of every partition",
          Duration.ofSeconds(30),
          () -> {
            try {
              return broker.committed(group).equals(broker.endOffsets(topic, 2));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } catch (AssertionError timedOut) {
      assertEquals(broker.endOffsets(topic, 2), broker.committed(group), timedOut.getMessage());
      throw timedOut;
    }
  }

  private static KafkaBatchSource<String, String> source(String topic, String group, String dlt) {
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            broker.consumerConfig(group, "classic"),
            new StringDeserializer(),
            new DeadLetterBrokerTest.PickyDeserializer());
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return KafkaBatchSource.builder(consumer)
        .topics(topic)
        .pollTimeout(Duration.ofMillis(50))
        .deadLetters(new KafkaProducer<byte[], byte[]>(props), dlt)
        .build();
  }

  private static KafkaBatchSink<String, String> sink(KafkaBatchSource<String, String> source) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaBroker.unique("tx"));
    return KafkaBatchSink.builder(
            source, new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()))
        .build();
  }

  private static void produce(String topic, int partition, String... values) throws Exception {
    try (KafkaProducer<String, String> producer = broker.producer()) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, partition, "k", value)).get(60, TimeUnit.SECONDS);
      }
    }
  }
}
