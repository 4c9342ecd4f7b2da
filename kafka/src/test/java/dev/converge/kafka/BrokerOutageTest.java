package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.BatchIterator;
import dev.converge.fixtures.kafka.KafkaBroker;
import dev.converge.fixtures.kafka.RestartableKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A broker outage mid-run: the one node (a child JVM) is killed while a batch is in processing and
 * commits are due, stays down for a while, and comes back on the same port and log directory. The
 * source must not fail (commitAsync with the coordinator unknown, and wakeups from the iterator's
 * polls, are where kafka-clients 4.3.1 throws a stray WakeupException, KAFKA-20232), every record
 * must be processed and committed, and processing must resume within seconds of the return.
 */
class BrokerOutageTest {

  private static final int PARTITIONS = 3;
  private static final long WAIT = 120;

  /** How much later than the broker's return processing may resume, on a loaded 2-core machine. */
  private static final Duration RESUME_BOUND = Duration.ofSeconds(15);

  private static RestartableKafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = RestartableKafkaBroker.start();
  }

  /** A test that failed during its outage leaves the broker down; the next one needs it up. */
  @AfterEach
  void brokerUpAgain() throws Exception {
    if (!broker.running()) {
      broker.startAgain();
    }
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void theSourceRidesOutABrokerRestartAndLosesNothing(String protocol) throws Exception {
    String topic = KafkaBroker.unique("outage");
    String group = KafkaBroker.unique("group");
    try (Admin admin = broker.admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
          .all()
          .get(WAIT, TimeUnit.SECONDS);
    }
    produce(topic, 0, 300);

    Set<String> processed = ConcurrentHashMap.newKeySet();
    AtomicReference<CompletableFuture<Void>> hold = new AtomicReference<>();
    CompletableFuture<Void> held = new CompletableFuture<>();
    AtomicLong firstAfterReturn = new AtomicLong();
    AtomicLong returnedAt = new AtomicLong(Long.MAX_VALUE);
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(consumer(group, protocol))
            .topics(topic)
            .closeTimeout(Duration.ofSeconds(10))
            .build();
    BatchIterator<ConsumerRecord<String, String>> batches =
        BatchIterator.builder(source).maxSize(50).maxWait(Duration.ofMillis(5)).build();
    CompletableFuture<Void> stream =
        batches.forEach(
            batch -> {
              long now = System.nanoTime();
              if (now - returnedAt.get() > 0) {
                firstAfterReturn.compareAndSet(0, now);
              }
              processed.addAll(KafkaBroker.values(batch.items()));
              CompletableFuture<Void> gate = hold.getAndSet(null);
              if (gate != null) {
                held.complete(null);
                return gate.thenCompose(done -> source.commit(batch));
              }
              return source.commit(batch);
            });
    try {
      Await.until(
          "the first 300 records committed",
          Duration.ofSeconds(WAIT),
          () -> processed.size() == 300 && committedToTheEnd(topic, group));

      // A batch in processing when the broker goes: its commit is sent while no coordinator is
      // reachable, and the batches after it are delivered and committed during the outage.
      CompletableFuture<Void> gate = new CompletableFuture<>();
      hold.set(gate);
      produce(topic, 300, 60);
      held.get(WAIT, TimeUnit.SECONDS);
      broker.kill();
      gate.complete(null);
      // The outage must last: a real broker being down for real time is what is under test.
      Thread.sleep(3_000);
      assertFalse(stream.isDone(), "the stream goes on while the broker is down");

      broker.startAgain(topic);
      returnedAt.set(System.nanoTime());
      produce(topic, 360, 300);
      Await.until(
          "every record committed after the restart",
          Duration.ofSeconds(WAIT),
          () -> processed.size() == 660 && committedToTheEnd(topic, group));

      long resumedAfter = firstAfterReturn.get() - returnedAt.get();
      System.out.printf(
          "[%s] processing resumed %d ms after the broker's return%n",
          protocol, TimeUnit.NANOSECONDS.toMillis(resumedAfter));
      assertTrue(
          resumedAfter < RESUME_BOUND.toNanos(),
          "resumed " + TimeUnit.NANOSECONDS.toMillis(resumedAfter) + " ms after the return");
      assertFalse(stream.isDone(), "the source did not fail");
    } finally {
      batches.close();
    }
    stream.get(WAIT, TimeUnit.SECONDS); // ends normally: no failure
    Set<String> expected = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 660; i++) {
      expected.add(Integer.toString(i));
    }
    assertEquals(expected, processed, "every record processed, nothing lost");
  }

  /**
   * KAFKA-20232 with a broker that is down: each mark makes a commit due (a commitAsync while no
   * coordinator is known), and each poll withdrawn at once sends a wakeup, for the length of the
   * outage. Neither may fail the stream; every commit lands once the broker is back.
   */
  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void commitsAndWakeupsDuringAnOutageDoNotFailTheStream(String protocol) throws Exception {
    String topic = KafkaBroker.unique("wakeups");
    String group = KafkaBroker.unique("group");
    try (Admin admin = broker.admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(WAIT, TimeUnit.SECONDS);
    }
    produce(topic, 0, 200);
    try (KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(consumer(group, protocol))
            .topics(topic)
            .closeTimeout(Duration.ofSeconds(10))
            .build()) {
      List<ConsumerRecord<String, String>> records = DeliveryBrokerTest.take(source, 200);
      source.commit(records.subList(0, 10)).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
      broker.kill();

      List<CompletableFuture<Void>> commits = new ArrayList<>();
      for (int i = 10; i < 200; i++) {
        commits.add(source.commit(records.subList(i, i + 1)).toCompletableFuture());
        CompletableFuture<List<ConsumerRecord<String, String>>> poll =
            source.poll(1).toCompletableFuture();
        assertFalse(poll.isCompletedExceptionally(), "the stream failed at mark " + i);
        poll.cancel(false); // withdrawn: nothing was taken for it
        // Paces the marks over a real outage of about 2 s: the broker's absence is under test.
        TimeUnit.MILLISECONDS.sleep(10);
      }

      broker.startAgain(topic);
      for (CompletableFuture<Void> commit : commits) {
        commit.get(WAIT, TimeUnit.SECONDS);
      }
      produce(topic, 200, 1);
      // The stream goes on. If the outage outlasted the session, the member lost the partition,
      // its commits completed at once, and it reads again from the last acknowledged commit.
      Set<String> seen = ConcurrentHashMap.newKeySet();
      while (!seen.contains("200")) {
        List<ConsumerRecord<String, String>> after =
            source.poll(100).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        seen.addAll(KafkaBroker.values(after));
        source.commit(after).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
      }
      Await.until("committed to the end", () -> committedToTheEnd(topic, group, 1));
    }
  }

  private static KafkaConsumer<String, String> consumer(String group, String protocol) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    if (protocol.equals("classic")) {
      props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
      props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
    }
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  private static void produce(String topic, int from, int count) throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < from + count; i++) {
        String value = Integer.toString(i);
        sent.add(producer.send(new ProducerRecord<>(topic, value, value)));
      }
      for (Future<RecordMetadata> write : sent) {
        write.get(WAIT, TimeUnit.SECONDS);
      }
    }
  }

  private static boolean committedToTheEnd(String topic, String group) {
    return committedToTheEnd(topic, group, PARTITIONS);
  }

  private static boolean committedToTheEnd(String topic, String group, int partitions) {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach((partition, info) -> ends.put(partition, info.offset()));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        if (at == null || at.offset() != end.getValue()) {
          return false;
        }
      }
      return true;
    } catch (Exception notYet) {
      return false;
    }
  }
}
