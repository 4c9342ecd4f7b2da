package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.fixtures.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of {@link KafkaBatchSource} on a real broker (one in-process KRaft node for the class):
 * delivery, commits with gaps, redelivery to the next member, a batch held past
 * {@code max.poll.interval.ms}, close, and an undeserializable record.
 */
class DeliveryBrokerTest {

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void everyRecordIsDeliveredOnceInOffsetOrderPerPartitionAndCommitted() throws Exception {
    int partitions = 3;
    int count = 3000;
    String topic = broker.createTopic("orders", partitions);
    String group = KafkaBroker.unique("group");
    broker.produce(topic, partitions, 0, count);

    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, "consumer")))
            .topics(topic)
            .build();
    Map<Integer, List<Long>> offsets = new HashMap<>();
    List<String> values = new ArrayList<>();
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(source).maxSize(200).maxWait(Duration.ofMillis(5)).build();
    try {
      while (values.size() < count) {
        Optional<Batch<ConsumerRecord<String, String>>> next =
            batches.next().get(60, TimeUnit.SECONDS);
        Batch<ConsumerRecord<String, String>> batch = next.orElseThrow();
        for (ConsumerRecord<String, String> record : batch.items()) {
          offsets.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
          values.add(record.value());
        }
        source.commit(batch).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      batches.close();
    }
    assertEquals(count, values.size());
    assertEquals(count, values.stream().distinct().count(), "no record twice");
    for (List<Long> partitionOffsets : offsets.values()) {
      for (int i = 0; i < partitionOffsets.size(); i++) {
        assertEquals((long) i, partitionOffsets.get(i), "offset order, nothing skipped");
      }
    }
    Map<TopicPartition, Long> committed = broker.committed(group);
    assertEquals(broker.endOffsets(topic, partitions), committed);
    assertTrue(
        Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains(topic)));
  }

  /** Takes exactly {@code n} records from the source (a poll may return fewer). */
  static List<ConsumerRecord<String, String>> take(KafkaBatchSource<String, String> source, int n)
      throws Exception {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    while (records.size() < n) {
      records.addAll(
          source.poll(n - records.size()).toCompletableFuture().get(60, TimeUnit.SECONDS));
    }
    return records;
  }

  @Test
  void aGapHoldsTheCommitBackThenTheCommitCompletes() throws Exception {
    String topic = broker.createTopic("gap", 1);
    String group = KafkaBroker.unique("group");
    TopicPartition partition = new TopicPartition(topic, 0);
    broker.produce(topic, 1, 0, 10);
    try (KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, "consumer")))
            .topics(topic)
            .build()) {
      List<ConsumerRecord<String, String>> first = take(source, 5);
      List<ConsumerRecord<String, String>> second = take(source, 5);

      CompletableFuture<Void> secondDone = source.commit(second).toCompletableFuture();
      source.commit(first.subList(0, 3)).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(Map.of(partition, 3L), broker.committed(group), "held back at the gap");
      assertFalse(secondDone.isDone());

      source.commit(first.subList(3, 5)).toCompletableFuture().get(60, TimeUnit.SECONDS);
      secondDone.get(60, TimeUnit.SECONDS);
      assertEquals(Map.of(partition, 10L), broker.committed(group));
    }
  }

  @Test
  void markedRecordsAreCommittedAndUnmarkedOnesAreReadAgainByTheNextMember() throws Exception {
    String topic = broker.createTopic("handover", 1);
    String group = KafkaBroker.unique("group");
    broker.produce(topic, 1, 0, 20);
    try (KafkaBatchSource<String, String> first =
        KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, "consumer")))
            .topics(topic)
            .build()) {
      List<ConsumerRecord<String, String>> records = take(first, 20);
      first.commit(records.subList(0, 10)).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(Map.of(new TopicPartition(topic, 0), 10L), broker.committed(group));
    }
    try (KafkaBatchSource<String, String> next =
        KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, "consumer")))
            .topics(topic)
            .build()) {
      List<ConsumerRecord<String, String>> again = take(next, 10);
      assertEquals(10L, again.get(0).offset(), "the next member starts after the marked records");
      assertEquals(
          List.of("10", "11", "12", "13", "14", "15", "16", "17", "18", "19"),
          KafkaBroker.values(again));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void aBatchHeldLongerThanMaxPollIntervalCostsNeitherTheMembershipNorDuplicates(String protocol)
      throws Exception {
    String topic = broker.createTopic("slow-" + protocol, 1);
    String group = KafkaBroker.unique("group");
    int count = 40;
    broker.produce(topic, 1, 0, count);
    Duration maxPollInterval = Duration.ofMillis(1500);
    Map<String, Object> config = broker.consumerConfig(group, protocol);
    config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(broker.consumer(config))
            .topics(topic)
            .pollTimeout(Duration.ofMillis(50))
            .build();
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(source).maxSize(10).maxWait(Duration.ZERO).prefetch(1).build();
    List<String> values = new ArrayList<>();
    try {
      Batch<ConsumerRecord<String, String>> held =
          batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
      long heldSince = System.nanoTime();
      // The subject of this test is time passing: the batch is held for three poll intervals.
      Await.until(
          "three max.poll.interval.ms",
          () -> System.nanoTime() - heldSince > 3 * maxPollInterval.toNanos());
      assertEquals(1, broker.members(group), "still a member of the group");
      values.addAll(KafkaBroker.values(held.items()));
      source.commit(held).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(
          Map.of(new TopicPartition(topic, 0), (long) held.items().size()),
          broker.committed(group),
          "the held batch was committed by this member, not dropped as lost");
      while (values.size() < count) {
        Batch<ConsumerRecord<String, String>> batch =
            batches.next().get(60, TimeUnit.SECONDS).orElseThrow();
        values.addAll(KafkaBroker.values(batch.items()));
        source.commit(batch).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      batches.close();
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(Integer.toString(i));
    }
    assertEquals(expected, values, "every record once, none delivered again");
  }

  @Test
  void closeWithAPendingNextEndsTheIteratorLeavesTheGroupAndLeavesNoThreadBehind()
      throws Exception {
    String topic = broker.createTopic("idle", 1);
    String group = KafkaBroker.unique("group");
    List<Thread> threads = new CopyOnWriteArrayList<>();
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(broker.consumer(broker.consumerConfig(group, "consumer")))
            .topics(topic)
            .threadFactory(
                task -> {
                  Thread t = new Thread(task, "idle-source");
                  threads.add(t);
                  return t;
                })
            .build();
    BatchIterator<ConsumerRecord<String, String>> batches = BatchIterator.builder(source).build();
    CompletableFuture<Optional<Batch<ConsumerRecord<String, String>>>> pending = batches.next();
    Await.until("the member joined", () -> broker.members(group) == 1);

    batches.close();

    assertEquals(Optional.empty(), pending.get(60, TimeUnit.SECONDS));
    assertEquals(1, threads.size());
    threads.get(0).join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(threads.get(0).isAlive(), "the source's thread ended");
    assertEquals(0, broker.members(group), "the member left the group");
  }

  /** A value deserializer that refuses one value, as a corrupt record would be refused. */
  public static final class PoisonDeserializer implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] data) {
      String value = new String(data, StandardCharsets.UTF_8);
      if (value.equals("poison")) {
        throw new SerializationException("cannot read '" + value + "'");
      }
      return value;
    }
  }

  @Test
  void anUndeserializableRecordFailsTheStreamAfterTheRecordsBeforeItNamingItsOffset()
      throws Exception {
    String topic = broker.createTopic("poison", 1);
    String group = KafkaBroker.unique("group");
    try (KafkaProducer<String, String> producer = broker.producer()) {
      for (String value : List.of("0", "1", "2", "poison", "4")) {
        producer.send(new ProducerRecord<>(topic, 0, value, value));
      }
      producer.flush();
    }
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            broker.consumerConfig(group, "consumer"),
            new StringDeserializer(),
            new PoisonDeserializer());
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(consumer).topics(topic).build();
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(source).maxSize(100).maxWait(Duration.ofMillis(20)).build();
    List<String> values = new ArrayList<>();
    try {
      ExecutionException failed = null;
      while (failed == null) {
        try {
          values.addAll(
              KafkaBroker.values(batches.next().get(60, TimeUnit.SECONDS).orElseThrow().items()));
        } catch (ExecutionException e) {
          failed = e;
        }
      }
      assertEquals(
          List.of("0", "1", "2"), values, "the records before the bad one, then the failure");
      RecordDeserializationException cause =
          assertInstanceOf(RecordDeserializationException.class, failed.getCause());
      assertEquals(3, cause.offset());
      assertEquals(new TopicPartition(topic, 0), cause.topicPartition());
      assertTrue(cause.getMessage().contains("offset 3"), cause.getMessage());
    } finally {
      batches.close();
    }
  }

  @Test
  void anUnknownTopicThatIsNotCreatedAutomaticallyFailsTheStream() throws Exception {
    String topic = KafkaBroker.unique("missing");
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(
                broker.consumer(broker.consumerConfig(KafkaBroker.unique("group"), "consumer")))
            .topics(topic)
            .build();
    BatchIterator<ConsumerRecord<String, String>> batches = BatchIterator.builder(source).build();
    try {
      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> batches.next().get(60, TimeUnit.SECONDS));
      assertInstanceOf(UnknownTopicOrPartitionException.class, failed.getCause());
      assertTrue(failed.getCause().getMessage().contains(topic), failed.getCause().getMessage());
    } finally {
      batches.close();
    }
  }

  @Test
  void anIdleFullyProcessedTransactionalPartitionCommitsPastTheFinalMarker() throws Exception {
    String topic = broker.createTopic("transactional", 1);
    String group = KafkaBroker.unique("group");
    Map<String, Object> producerProps = new HashMap<>();
    producerProps.put("bootstrap.servers", broker.bootstrapServers());
    producerProps.put("transactional.id", KafkaBroker.unique("tx"));
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            producerProps,
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.StringSerializer())) {
      producer.initTransactions();
      int value = 0;
      for (boolean commit : new boolean[] {true, false, true}) {
        producer.beginTransaction();
        for (int i = 0; i < 4; i++) {
          producer.send(new ProducerRecord<>(topic, 0, "k", Integer.toString(value++)));
        }
        producer.flush(); // the aborted records, too, are written: they take offsets
        if (commit) {
          producer.commitTransaction();
        } else {
          producer.abortTransaction();
        }
      }
    }
    TopicPartition partition = new TopicPartition(topic, 0);
    long end = 15; // 12 records and 3 markers
    // commitTransaction returns once the coordinator decided; markers are written after it.
    Await.until(
        "every marker written",
        () -> {
          try {
            return broker.endOffsets(topic, 1).get(partition) == end;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Map<String, Object> config = broker.consumerConfig(group, "consumer");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(broker.consumer(config)).topics(topic).build()) {
      List<ConsumerRecord<String, String>> records = take(source, 8);
      assertEquals(List.of("0", "1", "2", "3", "8", "9", "10", "11"), KafkaBroker.values(records));
      source.commit(records).toCompletableFuture().get(60, TimeUnit.SECONDS);
      // The last record is at 13; the marker that commits its transaction is at 14. Once idle,
      // the source commits its position past it, so the group's lag reaches 0.
      Await.until(
          "the commit past the final marker",
          () -> {
            try {
              return Long.valueOf(end).equals(broker.committed(group).get(partition));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    }
  }
}
