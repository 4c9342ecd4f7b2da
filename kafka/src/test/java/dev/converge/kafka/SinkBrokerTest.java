package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.fixtures.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KafkaBatchSink} on a real broker: output read back with {@code read_committed} holds
 * exactly one result per input record across a rebalance and across a crashed transaction; order;
 * the source's own commits refused; a transactional.id required.
 */
class SinkBrokerTest {

  private static final String STALE_MARKER = "published by a stale batch";

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static KafkaProducer<String, String> transactionalProducer(String transactionalId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return new KafkaProducer<>(props);
  }

  static KafkaBatchSource<String, String> source(String group, String protocol, String topic) {
    Map<String, Object> config = broker.consumerConfig(group, protocol);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return KafkaBatchSource.builder(broker.consumer(config))
        .topics(topic)
        .pollTimeout(Duration.ofMillis(50))
        .closeTimeout(Duration.ofSeconds(20))
        .build();
  }

  /** Every value in {@code topic}, as a read_committed consumer sees it, with its count. */
  static Map<String, Integer> readCommitted(String topic, int partitions) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<String, String> reader =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(topic, p));
      }
      reader.assign(all);
      reader.seekToBeginning(all);
      Map<TopicPartition, Long> end = reader.endOffsets(all); // the last stable offsets
      Await.until(
          "the output read to its end",
          () -> {
            for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(100))) {
              counts.merge(r.value(), 1, Integer::sum);
            }
            return all.stream().allMatch(tp -> reader.position(tp) >= end.get(tp));
          });
    }
    return counts;
  }

  /** A member: its own source, iterator and sink; sends each batch's results (value + "!"). */
  private static final class Member implements AutoCloseable {
    final KafkaBatchSource<String, String> source;
    final BatchIterator<ConsumerRecord<String, String>> batches;
    final KafkaBatchSink<String, String> sink;
    final AtomicInteger delivered = new AtomicInteger();
    final CompletableFuture<Void> done;
    final String out;
    volatile CountDownLatch hold;
    volatile int holdAfter = Integer.MAX_VALUE;
    final CountDownLatch holding = new CountDownLatch(1);
    volatile CompletableFuture<Void> heldSend;

    Member(String group, String protocol, String in, String out) {
      this.out = out;
      this.source = source(group, protocol, in);
      this.sink =
          KafkaBatchSink.builder(source, transactionalProducer(KafkaBroker.unique("tx"))).build();
      this.batches =
          BatchIterator.builder(source).maxSize(50).maxWait(Duration.ofMillis(5)).build();
      this.done = CompletableFuture.runAsync(this::consume, r -> new Thread(r, "member").start());
    }

    private void consume() {
      try {
        while (true) {
          Optional<Batch<ConsumerRecord<String, String>>> next =
              batches.next().get(120, TimeUnit.SECONDS);
          if (next.isEmpty()) {
            return;
          }
          Batch<ConsumerRecord<String, String>> batch = next.get();
          boolean held = false;
          if (delivered.addAndGet(batch.size()) >= holdAfter && hold != null) {
            holding.countDown(); // delivered, not yet sent, while the group rebalances
            hold.await();
            hold = null;
            held = true;
          }
          List<ProducerRecord<String, String>> results = new ArrayList<>();
          for (ConsumerRecord<String, String> record : batch.items()) {
            results.add(
                new ProducerRecord<>(out, record.partition(), record.key(), record.value() + "!"));
          }
          if (held) {
            results.add(new ProducerRecord<>(out, 0, "held", STALE_MARKER));
          }
          CompletableFuture<Void> sent = sink.send(batch, results).toCompletableFuture();
          if (held) {
            heldSend = sent;
          }
          sent.get(120, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws Exception {
      batches.close();
      done.get(120, TimeUnit.SECONDS);
      sink.close();
    }
  }

  private static boolean bothMembersHavePartitions(String group) {
    try {
      var description =
          broker
              .admin()
              .describeConsumerGroups(Set.of(group))
              .all()
              .get(30, TimeUnit.SECONDS)
              .get(group);
      return description.members().size() == 2
          && description.members().stream()
              .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    } catch (Exception e) {
      return false;
    }
  }

  private static void assertExactlyOnce(String out, int partitions, int count) throws Exception {
    Map<String, Integer> output = readCommitted(out, partitions);
    for (int i = 0; i < count; i++) {
      assertEquals(1, output.getOrDefault(i + "!", 0), "results of record " + i);
    }
    assertEquals(count, output.size());
  }

  private static boolean committedToTheEnd(String group, String topic, int partitions) {
    try {
      return broker.committed(group).equals(broker.endOffsets(topic, partitions));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void exactlyOneResultPerRecordWhenTwoMembersRebalanceMidStream(String protocol) throws Exception {
    int partitions = 4;
    int count = 2000;
    String in = broker.createTopic("sink-in-" + protocol, partitions);
    String out = broker.createTopic("sink-out-" + protocol, partitions);
    String group = KafkaBroker.unique("group");
    broker.produce(in, partitions, 0, count);

    CountDownLatch release = new CountDownLatch(1);
    Member first = new Member(group, protocol, in, out);
    Member second = null;
    try {
      first.hold = release;
      first.holdAfter = count / 4;
      assertTrue(first.holding.await(120, TimeUnit.SECONDS), "the first member holds a batch");
      second = new Member(group, protocol, in, out);
      Await.until("the group rebalanced onto both members", () -> bothMembersHavePartitions(group));
      release.countDown();
      Await.value("the held batch's send", () -> first.heldSend)
          .get(60, TimeUnit.SECONDS); // stale: completes at once, publishing nothing
      Await.until(
          "every offset committed",
          Duration.ofSeconds(120),
          () -> committedToTheEnd(group, in, partitions));
    } finally {
      release.countDown();
      first.close();
      if (second != null) {
        second.close();
      }
    }
    // The held batch was delivered before the rebalance revoked partitions: its send published
    // nothing (else the marker, and its records' results a second time, would be in the output).
    assertFalse(readCommitted(out, partitions).containsKey(STALE_MARKER));
    assertExactlyOnce(out, partitions, count);
    assertTrue(second.delivered.get() > 0, "the second member took part");
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void aCrashedTransactionIsInvisibleAndItsRecordsAreProcessedAgain(String protocol)
      throws Exception {
    int partitions = 2;
    int count = 400;
    String in = broker.createTopic("crash-in-" + protocol, partitions);
    String out = broker.createTopic("crash-out-" + protocol, partitions);
    String group = KafkaBroker.unique("group");
    String transactionalId = KafkaBroker.unique("tx");
    broker.produce(in, partitions, 0, count);

    // A member that publishes the results of its first batch in a transaction, with the batch's
    // offsets, and dies before committing it.
    KafkaBatchSource<String, String> crashing = source(group, protocol, in);
    KafkaProducer<String, String> producer = transactionalProducer(transactionalId);
    KafkaBatchSink<String, String> crashingSink =
        KafkaBatchSink.builder(crashing, producer).build();
    List<ConsumerRecord<String, String>> firstRecords = DeliveryBrokerTest.take(crashing, 100);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    producer.beginTransaction();
    for (ConsumerRecord<String, String> record : firstRecords) {
      producer.send(
          new ProducerRecord<>(out, record.partition(), record.key(), record.value() + "!"));
      offsets.merge(
          new TopicPartition(in, record.partition()),
          new OffsetAndMetadata(record.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    producer.flush();
    Await.until("the consumer's group metadata", () -> crashingSink.groupMetadata() != null);
    producer.sendOffsetsToTransaction(offsets, crashingSink.groupMetadata());
    producer.close(Duration.ZERO); // the crash: never committed
    crashing.close();

    // Its successor, with the same transactional.id, processes everything once.
    try (KafkaBatchSource<String, String> successor = source(group, protocol, in);
        KafkaBatchSink<String, String> sink =
            KafkaBatchSink.builder(successor, transactionalProducer(transactionalId)).build()) {
      BatchIterator<ConsumerRecord<String, String>> batches =
          BatchIterator.builder(successor).maxSize(64).maxWait(Duration.ofMillis(5)).build();
      List<String> processed = new ArrayList<>();
      // It starts from the start: the crashed transaction's offsets were aborted with it.
      while (processed.size() < count) {
        Batch<ConsumerRecord<String, String>> batch =
            batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
        List<ProducerRecord<String, String>> results = new ArrayList<>();
        for (ConsumerRecord<String, String> record : batch.items()) {
          processed.add(record.value());
          results.add(
              new ProducerRecord<>(out, record.partition(), record.key(), record.value() + "!"));
        }
        sink.send(batch, results).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      // commitTransaction returns before the coordinator has written the markers that make the
      // transaction's offsets the group's committed offsets.
      Await.until("every offset committed", () -> committedToTheEnd(group, in, partitions));
      batches.close();
      assertEquals(count, processed.stream().distinct().count(), "each record processed once");
      for (ConsumerRecord<String, String> record : firstRecords) {
        assertTrue(processed.contains(record.value()), "processed again: " + record.value());
      }
    }
    assertExactlyOnce(out, partitions, count);
  }

  @Test
  void aLaterBatchSentFirstWaitsForTheEarlierOne() throws Exception {
    String in = broker.createTopic("order-in", 1);
    String out = broker.createTopic("order-out", 1);
    String group = KafkaBroker.unique("group");
    broker.produce(in, 1, 0, 20);
    try (KafkaBatchSource<String, String> source = source(group, "consumer", in);
        KafkaBatchSink<String, String> sink =
            KafkaBatchSink.builder(source, transactionalProducer(KafkaBroker.unique("tx")))
                .build()) {
      BatchIterator<ConsumerRecord<String, String>> batches =
          BatchIterator.builder(source).maxSize(10).maxWait(Duration.ofSeconds(30)).build();
      Batch<ConsumerRecord<String, String>> earlier =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      Batch<ConsumerRecord<String, String>> later =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      CompletableFuture<Void> laterSent =
          sink.send(later, List.of(new ProducerRecord<>(out, "later"))).toCompletableFuture();
      // Nothing can commit it before the earlier batch is sent: the sequencer holds it.
      assertFalse(laterSent.isDone(), "the later batch waits");
      assertEquals(Map.of(), broker.committed(group));
      sink.send(earlier, List.of(new ProducerRecord<>(out, "earlier")))
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      laterSent.get(60, TimeUnit.SECONDS);
      // The markers that make the offsets committed are written after commitTransaction returns.
      Await.until("the offsets of both batches committed", () -> committedToTheEnd(group, in, 1));
      assertEquals(Map.of("earlier", 1, "later", 1), readCommitted(out, 1));
      batches.close();
    }
  }

  @Test
  void theSourceRefusesItsOwnCommitsOnceASinkIsAttached() throws Exception {
    String in = broker.createTopic("refuse", 1);
    broker.produce(in, 1, 0, 5);
    try (KafkaBatchSource<String, String> source = source(KafkaBroker.unique("g"), "consumer", in);
        KafkaBatchSink<String, String> sink =
            KafkaBatchSink.builder(source, transactionalProducer(KafkaBroker.unique("tx")))
                .build()) {
      List<ConsumerRecord<String, String>> records = DeliveryBrokerTest.take(source, 5);
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> source.commit(records));
      assertTrue(refused.getMessage().contains("KafkaBatchSink"), refused.getMessage());
    }
  }

  @Test
  void aProducerWithoutTransactionalIdIsRejected() throws Exception {
    String in = broker.createTopic("no-tx", 1);
    try (KafkaBatchSource<String, String> source = source(KafkaBroker.unique("g"), "consumer", in);
        KafkaProducer<String, String> plain = broker.producer()) {
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class, () -> KafkaBatchSink.builder(source, plain).build());
      assertTrue(refused.getMessage().contains("transactional.id"), refused.getMessage());
    }
  }
}
