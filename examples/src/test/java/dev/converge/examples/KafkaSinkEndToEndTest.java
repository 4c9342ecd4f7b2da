package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service with {@code --sink kafka}, end to end on an in-process broker: orders in, enriched
 * orders out to a topic in one transaction per batch, read back with {@code read_committed}.
 * Customers come from each member's own in-memory H2 (the same seeded customers in every JVM), so
 * no PostgreSQL is needed: the database is only read.
 */
class KafkaSinkEndToEndTest {

  private static final int PARTITIONS = 4;

  private static KafkaBroker broker;

  @TempDir Path directory;

  @BeforeAll
  static void start() throws Exception {
    // A member killed with kill -9 is noticed after its session timeout: a short one.
    broker =
        KafkaBroker.builder()
            .sessionTimeout(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofMillis(250))
            .start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /**
   * Member A, a JVM of its own, consumes alone; member B joins; A is killed with destroyForcibly
   * mid-stream (its open transaction is aborted by the broker, its uncommitted batches read again
   * by B). Read with read_committed, the output topic holds each order id exactly once, every
   * record that is not an order is in the dead-letter topic, and the group's committed offsets
   * reach the end of every input partition.
   */
  @Test
  void memberKilledMidStreamLeavesEachOrderOnceInTheOutputTopic() throws Exception {
    String input = broker.createTopic("orders", PARTITIONS);
    String output = broker.createTopic("enriched", PARTITIONS);
    String deadLetters = broker.createTopic("orders-dlt", 1);
    String group = KafkaBroker.unique("enrichers");
    long orders = writeOrders(input, "6000");
    Set<String> notOrders = writeNotOrders(input, 8);
    long total = orders + notOrders.size();
    List<String> member = memberArgs(input, group, output, deadLetters);
    member.addAll(List.of("--max-size", "50", "--price-latency", "20ms", "--duration", "2m"));

    Path aOutput = directory.resolve("member-a.txt");
    Process a = ServiceMembers.childJvm(member, aOutput);
    try {
      Await.until(
          Duration.ofSeconds(60),
          () -> written(output) >= orders / 5,
          () -> "member A writes a fifth of the orders; it printed:\n" + read(aOutput));

      CompletableFuture<Void> stopB = new CompletableFuture<>();
      ByteArrayOutputStream bOutput = new ByteArrayOutputStream();
      CompletableFuture<ServiceMetrics.Snapshot> b =
          ServiceMembers.inProcess(member, bOutput, stopB);
      Await.until(
          Duration.ofSeconds(60),
          () -> written(output) >= orders / 2 || b.isDone(),
          () -> "A and B write half of the orders");

      a.destroyForcibly();
      assertTrue(a.waitFor(30, TimeUnit.SECONDS), "member A is gone");
      assertTrue(
          committed(group) < total,
          "A was killed mid-stream: " + committed(group) + " of " + total + " committed");

      // B waits out A's open transaction (KafkaResultSink's transaction timeout) on A's partitions.
      // Done once every order id is visible to read_committed; the topic is read only when enough
      // records (committed or not) are there.
      Await.until(
          Duration.ofSeconds(90),
          () -> b.isDone() || (written(output) >= orders && committedIds(output) == orders),
          () ->
              "B writes the rest: "
                  + committedSafely(group)
                  + " of "
                  + total
                  + " input records committed; B printed:\n"
                  + bOutput.toString(StandardCharsets.UTF_8));
      // Every input record is processed, dead letters included (the last records of each
      // partition are records that are not orders): the group's offsets reach the end of every
      // partition, through B's transactions alone (issue 18).
      Map<TopicPartition, Long> end = broker.endOffsets(input, PARTITIONS);
      Await.until(
          Duration.ofSeconds(60),
          () -> b.isDone() || broker.committed(group).equals(end),
          () ->
              "B commits every input partition to its end "
                  + end
                  + ": "
                  + committedSafely(group)
                  + "; B printed:\n"
                  + bOutput.toString(StandardCharsets.UTF_8));
      stopB.complete(null);
      ServiceMetrics.Snapshot bTotals = b.get(60, TimeUnit.SECONDS);

      assertEquals(end, broker.committed(group), "the group's offsets at every partition's end");
      assertTrue(bTotals.committed() > 0, "B processed orders");
      assertEachOrderOnce(output, orders);
      assertEquals(
          notOrders,
          deadLetterOffsets(deadLetters, input),
          "every record that is not an order, and only those, is in the dead-letter topic");
    } finally {
      a.destroyForcibly();
    }
  }

  /**
   * One member: an order naming a customer who does not exist goes to the dead-letter topic with
   * the reason, in its batch's transaction; a record that is not an order goes there with the
   * source's {@code converge.dlt.*} headers; the valid orders go to the output topic.
   */
  @Test
  void rejectedOrdersAndRecordsThatAreNotOrdersGoToTheDeadLetterTopic() throws Exception {
    String input = broker.createTopic("orders", 1);
    String output = broker.createTopic("enriched", 1);
    String deadLetters = broker.createTopic("orders-dlt", 1);
    try (KafkaProducer<String, String> producer = broker.producer()) {
      producer.send(new ProducerRecord<>(input, "1", order(1, 3))).get();
      producer.send(new ProducerRecord<>(input, "2", order(2, 50))).get(); // no customer 50
      producer.send(new ProducerRecord<>(input, "3", "{\"id\":3,\"customerId\":1}")).get();
      producer.send(new ProducerRecord<>(input, "4", order(4, 10))).get();
    }
    String group = KafkaBroker.unique("enrichers");
    List<String> args = memberArgs(input, group, output, deadLetters);
    args.addAll(List.of("--customers", "10", "--duration", "2m"));

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CompletableFuture<Void> stopRun = new CompletableFuture<>();
    CompletableFuture<ServiceMetrics.Snapshot> run =
        ServiceMembers.inProcess(args, printed, stopRun);
    Await.until(
        Duration.ofSeconds(60),
        () -> run.isDone() || sum(broker.committed(group)) == 4,
        () ->
            "the member commits the four records; it printed:\n"
                + printed.toString(StandardCharsets.UTF_8));
    stopRun.complete(null);
    run.get(60, TimeUnit.SECONDS);

    List<ConsumerRecord<String, String>> results =
        OrderTopicReader.readAll(broker.bootstrapServers(), output, Duration.ofSeconds(30));
    assertEquals(List.of("1", "4"), results.stream().map(ConsumerRecord::key).toList());
    EnrichedOrderJson first = EnrichedOrderJson.read(results.get(0).value());
    assertEquals(1, first.id());
    assertEquals(3, first.customerId());
    assertEquals(2, first.quantity());
    assertTrue(first.unitPriceCents() > 0 && first.totalCents() > 0, results.get(0).value());
    assertEquals(
        "read 2 records, 2 distinct keys (0 more than once) from topic "
            + output
            + ", read_committed",
        readerMain("--topic", output, "--quiet").strip());

    List<ConsumerRecord<String, String>> letters =
        OrderTopicReader.readAll(broker.bootstrapServers(), deadLetters, Duration.ofSeconds(30));
    Map<String, ConsumerRecord<String, String>> byOffset =
        letters.stream()
            .collect(
                Collectors.toMap(
                    letter -> header(letter, "converge.dlt.offset"),
                    letter -> letter,
                    (once, again) -> once));
    assertEquals(Set.of("1", "2"), byOffset.keySet(), "the rejected order and the non-order");

    ConsumerRecord<String, String> rejected = byOffset.get("1");
    assertEquals("2", rejected.key());
    assertEquals(input, header(rejected, "converge.dlt.topic"));
    assertEquals("0", header(rejected, "converge.dlt.partition"));
    assertEquals(DeadLetterRouting.REJECTED, header(rejected, "converge.dlt.exception"));
    assertEquals(
        "order 2 names customer 50, who is not in the database",
        header(rejected, "converge.dlt.message"));
    assertEquals(2, OrderJson.read(rejected.value().getBytes(StandardCharsets.UTF_8)).id());

    ConsumerRecord<String, String> notAnOrder = byOffset.get("2");
    assertEquals("3", notAnOrder.key());
    assertEquals("{\"id\":3,\"customerId\":1}", notAnOrder.value(), "the original value");
    assertEquals(input, header(notAnOrder, "converge.dlt.topic"));
    assertEquals("0", header(notAnOrder, "converge.dlt.partition"));
    assertTrue(
        header(notAnOrder, "converge.dlt.message").contains("not an order"),
        header(notAnOrder, "converge.dlt.message"));
  }

  /** Without a dead-letter topic, a rejected order stops the run, as with the database sink. */
  @Test
  void rejectedOrderWithoutDeadLetterTopicStopsTheRun() throws Exception {
    String input = broker.createTopic("orders", 1);
    String output = broker.createTopic("enriched", 1);
    try (KafkaProducer<String, String> producer = broker.producer()) {
      producer.send(new ProducerRecord<>(input, "1", order(1, 50))).get();
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source",
                "kafka",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--topic",
                input,
                "--group",
                KafkaBroker.unique("enrichers"),
                "--sink",
                "kafka",
                "--output-topic",
                output,
                "--customers",
                "10",
                "--duration",
                "2m"));

    ServiceRun run = ServiceRun.of(args.toArray(String[]::new));

    assertEquals(OrderService.FAILED, run.exitCode(), run.out());
    assertTrue(
        run.err()
            .startsWith(
                "error: an order was rejected and there is no"
                    + " --dead-letter-topic: order 1 names customer 50, who is not in the database"),
        run.err());
    assertEquals(
        List.of(),
        OrderTopicReader.readAll(broker.bootstrapServers(), output, Duration.ofSeconds(30)));
  }

  /** Runs OrderTopicReader's main logic on the broker and returns what it printed. */
  private static String readerMain(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--bootstrap-servers", broker.bootstrapServers()));
    all.addAll(List.of(args));
    int code =
        OrderTopicReader.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(OrderService.OK, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String order(long id, long customerId) {
    return "{\"id\":" + id + ",\"customerId\":" + customerId + ",\"productId\":1,\"quantity\":2}";
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
    return sum(broker.endOffsets(topic, PARTITIONS));
  }

  /** Appends records that are not orders, round-robin; returns their "partition@offset"s. */
  private static Set<String> writeNotOrders(String topic, int count) throws Exception {
    Set<String> where = new TreeSet<>();
    try (KafkaProducer<String, String> producer = broker.producer()) {
      for (int i = 0; i < count; i++) {
        String value = i % 2 == 0 ? "not json " + i : "{\"id\":" + i + "}";
        var metadata =
            producer.send(new ProducerRecord<>(topic, i % PARTITIONS, "bad-" + i, value)).get();
        where.add(metadata.partition() + "@" + metadata.offset());
      }
    }
    return where;
  }

  private static List<String> memberArgs(
      String topic, String group, String output, String deadLetters) {
    return new ArrayList<>(
        List.of(
            "--source",
            "kafka",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--topic",
            topic,
            "--group",
            group,
            "--sink",
            "kafka",
            "--output-topic",
            output,
            "--dead-letter-topic",
            deadLetters,
            "--kafka-property",
            "group.protocol=classic",
            "--kafka-property",
            "session.timeout.ms=2000",
            "--kafka-property",
            "heartbeat.interval.ms=250"));
  }

  /** Each order id 1..orders exactly once among the committed records of the output topic. */
  private static void assertEachOrderOnce(String output, long orders) throws Exception {
    List<ConsumerRecord<String, String>> results =
        OrderTopicReader.readAll(broker.bootstrapServers(), output, Duration.ofSeconds(60));
    Map<Long, Long> perId = new HashMap<>();
    for (ConsumerRecord<String, String> result : results) {
      long id = EnrichedOrderJson.read(result.value()).id();
      assertEquals(Long.toString(id), result.key(), "the key is the order id in decimal");
      perId.merge(id, 1L, Long::sum);
    }
    Map<Long, Long> twice =
        perId.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(Map.of(), twice, "order ids written more than once");
    Set<Long> missing =
        LongStream.rangeClosed(1, orders)
            .boxed()
            .filter(id -> !perId.containsKey(id))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), missing, "order ids missing");
    assertEquals(orders, results.size());
  }

  /** The "partition@offset"s of the input records in the dead-letter topic, each once. */
  private static Set<String> deadLetterOffsets(String deadLetters, String input) throws Exception {
    Set<String> where = new TreeSet<>();
    for (ConsumerRecord<String, String> letter :
        OrderTopicReader.readAll(broker.bootstrapServers(), deadLetters, Duration.ofSeconds(30))) {
      assertEquals(input, header(letter, "converge.dlt.topic"));
      assertTrue(letter.key().startsWith("bad-"), letter.key());
      assertTrue(!header(letter, "converge.dlt.exception").isEmpty());
      where.add(
          header(letter, "converge.dlt.partition") + "@" + header(letter, "converge.dlt.offset"));
    }
    return where;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertTrue(header != null, "header " + name + " on " + record);
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Records written to the output topic so far, committed or not: a progress signal only. */
  private static long written(String output) throws Exception {
    return sum(broker.endOffsets(output, PARTITIONS));
  }

  private static long committed(String group) throws Exception {
    return sum(broker.committed(group));
  }

  /** Distinct order ids among the committed records of the output topic. */
  private static long committedIds(String output) throws Exception {
    return OrderTopicReader.readAll(broker.bootstrapServers(), output, Duration.ofSeconds(30))
        .stream()
        .map(ConsumerRecord::key)
        .distinct()
        .count();
  }

  private static String committedSafely(String group) {
    try {
      return broker.committed(group) + " = " + committed(group);
    } catch (Exception e) {
      return "(unknown: " + e.getMessage() + ")";
    }
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
