package dev.converge.examples;

import static dev.converge.examples.StoredOrders.assertExactlyOnce;
import static dev.converge.examples.StoredOrders.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service in Kafka mode, end to end: orders written into a topic of an in-process broker by
 * {@link OrderTopicWriter}, consumed by members of one group, stored in a real PostgreSQL. At-least
 * -once delivery plus idempotent writes: each order id is stored exactly once, none is missing,
 * whatever members die and take over.
 */
class KafkaEndToEndTest {

  private static final int PARTITIONS = 4;

  private static KafkaBroker broker;
  private static EmbeddedPostgresServer postgres;

  @TempDir Path directory;

  @BeforeAll
  static void start() throws Exception {
    // A member killed with kill -9 is noticed after its session timeout: a short one.
    broker =
        KafkaBroker.builder()
            .sessionTimeout(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofMillis(250))
            .start();
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  @SuppressWarnings("try") // the resource is there only to close the broker after PostgreSQL
  static void stop() throws Exception {
    try (KafkaBroker closing = broker) {
      postgres.close();
    }
  }

  /**
   * Member A, a JVM of its own, consumes alone; member B joins and they share the partitions; A is
   * killed (kill -9: no commit, no leaving the group); B takes A's partitions over once A's session
   * expires, reads again what A stored but had not committed, and finishes the topic.
   */
  @ParameterizedTest(name = "group protocol {0}")
  @ValueSource(strings = {"classic", "consumer"})
  void memberKilledMidStreamLosesNoOrderAndStoresNoneTwice(String protocol) throws Exception {
    String topic = KafkaBroker.unique("orders");
    String group = KafkaBroker.unique("enrichers");
    String db = postgres.newDatabase();
    long total = writeOrders(topic, "6000");
    List<String> member = memberArgs(topic, group, db, protocol);
    member.addAll(List.of("--max-size", "50", "--price-latency", "20ms", "--duration", "2m"));

    Path aOutput = directory.resolve("member-a.txt");
    Process a = ServiceMembers.childJvm(member, aOutput);
    try {
      Await.until(
          Duration.ofSeconds(40),
          () -> stored(db) >= total / 5,
          () -> "member A stores a fifth of the orders; it printed:\n" + read(aOutput));

      CompletableFuture<Void> stopB = new CompletableFuture<>();
      ByteArrayOutputStream bOutput = new ByteArrayOutputStream();
      CompletableFuture<ServiceMetrics.Snapshot> b =
          ServiceMembers.inProcess(member, bOutput, stopB);
      Await.until(
          Duration.ofSeconds(40),
          () -> stored(db) >= total / 2 || b.isDone(),
          () -> "A and B store half of the orders");

      long storedAtKill = stored(db);
      a.destroyForcibly();
      assertTrue(a.waitFor(30, TimeUnit.SECONDS), "member A is gone");
      assertTrue(storedAtKill < total, "A was killed mid-stream: " + storedAtKill + " of " + total);

      Map<TopicPartition, Long> ends = broker.endOffsets(topic, PARTITIONS);
      Await.until(
          Duration.ofSeconds(40),
          () -> b.isDone() || (stored(db) == total && broker.committed(group).equals(ends)),
          () ->
              "B stores and commits the rest: "
                  + storedSafely(db)
                  + " of "
                  + total
                  + " stored; B printed:\n"
                  + bOutput.toString(StandardCharsets.UTF_8));
      stopB.complete(null);
      ServiceMetrics.Snapshot bTotals = b.get(60, TimeUnit.SECONDS);

      assertTrue(bTotals.committed() > 0, "B processed orders");
      assertExactlyOnce(db, total);
      assertEquals(ends, broker.committed(group), "B committed everything it stored, and closed");
    } finally {
      a.destroyForcibly();
    }
  }

  /**
   * {@code --duration} bounds consumption; the run then closes, committing to Kafka exactly what it
   * stored. However much it got through in that time, the group's committed offsets, the report and
   * the table agree.
   */
  @Test
  void consumesForItsDurationThenClosesCommittingWhatItStored() throws Exception {
    String topic = KafkaBroker.unique("orders");
    String group = KafkaBroker.unique("enrichers");
    String db = postgres.newDatabase();
    writeOrders(topic, "3000");
    List<String> args = memberArgs(topic, group, db, "classic");
    args.addAll(List.of("--duration", "4s"));

    ServiceRun run = ServiceRun.of(args.toArray(String[]::new));

    assertEquals(OrderService.OK, run.exitCode(), run.err() + run.out());
    long consumed = run.reported("orders consumed");
    assertTrue(consumed > 0, run.out());
    assertEquals(consumed, run.reported("orders committed"), run.out());
    assertEquals(consumed, run.reported("newly stored"), run.out());
    assertEquals(0, run.reported("already stored"), run.out());
    assertEquals(consumed, count(db, "SELECT COUNT(*) FROM enriched_orders"));
    assertEquals(consumed, count(db, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders"));
    assertEquals(consumed, sum(broker.committed(group)), "committed offsets cover what was stored");

    // Another group reads the topic again from the start: what is stored is not stored twice.
    List<String> replay = memberArgs(topic, KafkaBroker.unique("replay"), db, "classic");
    replay.addAll(List.of("--duration", "3s"));
    ServiceRun again = ServiceRun.of(replay.toArray(String[]::new));

    assertEquals(OrderService.OK, again.exitCode(), again.err() + again.out());
    long reconsumed = again.reported("orders consumed");
    assertEquals(reconsumed, again.reported("newly stored") + again.reported("already stored"));
    long storedNow = count(db, "SELECT COUNT(*) FROM enriched_orders");
    assertEquals(consumed + again.reported("newly stored"), storedNow, again.out());
    assertEquals(storedNow, count(db, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders"));
  }

  /**
   * With eight batches in flight, small ones finishing in any order, every order is stored once and
   * the group's committed offsets still reach the end of every partition: the source commits a
   * partition only up to the first batch not yet stored.
   */
  @Test
  void eightBatchesInFlightStoreEveryOrderOnceAndCommitTheWholeTopic() throws Exception {
    String topic = KafkaBroker.unique("orders");
    String group = KafkaBroker.unique("enrichers");
    String db = postgres.newDatabase();
    long total = writeOrders(topic, "4000");
    List<String> member = memberArgs(topic, group, db, "classic");
    member.addAll(List.of("--concurrency", "8", "--max-size", "40", "--duration", "2m"));
    Map<TopicPartition, Long> ends = broker.endOffsets(topic, PARTITIONS);

    CompletableFuture<Void> stop = new CompletableFuture<>();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    CompletableFuture<ServiceMetrics.Snapshot> run = ServiceMembers.inProcess(member, output, stop);
    Await.until(
        Duration.ofSeconds(60),
        () -> run.isDone() || broker.committed(group).equals(ends),
        () ->
            "the member stores and commits the topic: "
                + storedSafely(db)
                + " of "
                + total
                + " stored; it printed:\n"
                + output.toString(StandardCharsets.UTF_8));
    stop.complete(null);
    ServiceMetrics.Snapshot totals = run.get(60, TimeUnit.SECONDS);

    assertEquals(total, totals.committed(), output.toString(StandardCharsets.UTF_8));
    assertEquals(total, totals.stored(), "nothing was delivered twice to a single member");
    assertExactlyOnce(db, total);
    assertEquals(ends, broker.committed(group));
  }

  @Test
  void recordThatIsNotAnOrderStopsTheServiceWithOneLineNamingItsOffset() throws Exception {
    String topic = broker.createTopic("orders", 1);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(
          new ProducerRecord<>(
              topic, "1", "{\"id\":1,\"customerId\":1,\"productId\":1,\"quantity\":1}"));
      producer.send(new ProducerRecord<>(topic, "2", "{\"id\":2,\"customerId\":1}"));
      producer.flush();
    }
    String db = postgres.newDatabase();
    List<String> args = memberArgs(topic, KafkaBroker.unique("enrichers"), db, "classic");
    args.addAll(List.of("--duration", "30s"));

    ServiceRun run = ServiceRun.of(args.toArray(String[]::new));

    assertEquals(OrderService.FAILED, run.exitCode(), run.out());
    List<String> errors = run.err().lines().filter(line -> line.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), run.err());
    assertTrue(
        errors.get(0).startsWith("error: the order stream from topic " + topic + " failed: "),
        errors.get(0));
    assertTrue(errors.get(0).contains(topic + "-0 at offset 1"), errors.get(0));
    assertEquals(1, count(db, "SELECT COUNT(*) FROM enriched_orders"), "the order before it");
  }

  /** Writes the seeded stream (4 partitions) and returns how many orders it holds. */
  private static long writeOrders(String topic, String rate) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OrderTopicWriter.run(
            new String[] {
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--topic",
              topic,
              "--partitions",
              Integer.toString(PARTITIONS),
              "--rate",
              rate,
              "--duration",
              "1s",
              "--seed",
              "3"
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(OrderService.OK, code, err.toString(StandardCharsets.UTF_8));
    return broker.endOffsets(topic, PARTITIONS).values().stream().mapToLong(Long::longValue).sum();
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static List<String> memberArgs(String topic, String group, String db, String protocol) {
    List<String> args = ServiceMembers.kafkaToPostgres(broker.bootstrapServers(), topic, group, db);
    args.addAll(List.of("--kafka-property", "group.protocol=" + protocol));
    if (protocol.equals("classic")) {
      // Under the consumer protocol the broker sets these (see KafkaBroker).
      args.addAll(
          List.of(
              "--kafka-property",
              "session.timeout.ms=2000",
              "--kafka-property",
              "heartbeat.interval.ms=250"));
    }
    return args;
  }

  private static long stored(String db) throws SQLException {
    return count(db, "SELECT COUNT(*) FROM enriched_orders");
  }

  private static String storedSafely(String db) {
    try {
      return Long.toString(stored(db));
    } catch (SQLException e) {
      return "(unknown: " + e.getMessage() + ")";
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
