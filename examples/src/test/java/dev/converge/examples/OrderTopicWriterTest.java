package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The order stream written into a topic of an in-process broker, as the README's command does. */
class OrderTopicWriterTest {

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
  void writesTheSeededStreamOneRecordPerOrderKeyedByItsId() throws Exception {
    String topic = KafkaBroker.unique("written");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OrderTopicWriter.run(
            new String[] {
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--topic",
              topic,
              "--partitions",
              "3",
              "--rate",
              "20000",
              "--duration",
              "500ms",
              "--seed",
              "5",
              "--customers",
              "100",
              "--products",
              "20"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(OrderService.OK, code, err.toString(StandardCharsets.UTF_8));
    Map<TopicPartition, Long> ends = broker.endOffsets(topic, 3);
    long written = ends.values().stream().mapToLong(Long::longValue).sum();
    assertTrue(written > 1_000, "half a second at 20,000/s: " + written);
    assertTrue(
        out.toString(StandardCharsets.UTF_8)
            .startsWith(
                String.format(
                    java.util.Locale.ROOT, "wrote %,d orders to topic %s", written, topic)),
        out.toString(StandardCharsets.UTF_8));

    // The same seed gives the same orders: the records are exactly the stream, ids 1..written.
    OrderStream expected = new OrderStream(20_000, 200, 100, 20, 5);
    List<Order> stream = new ArrayList<>();
    while (stream.size() < written) {
      stream.addAll(expected.nextBurst(0));
    }
    Map<Long, ConsumerRecord<String, OrderMessage>> byId = readAll(topic, ends);
    assertEquals(written, byId.size(), "one record per order id");
    for (int i = 0; i < written; i++) {
      Order order = stream.get(i);
      ConsumerRecord<String, OrderMessage> record = byId.get(order.id());
      assertEquals(OrderMessage.of(order), record.value());
      assertEquals(Long.toString(order.id()), record.key());
    }
  }

  @Test
  void badFlagIsOneLineAndExitCode2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OrderTopicWriter.run(
            new String[] {"--partitions", "none"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(OrderService.USAGE, code);
    assertEquals(
        "error: --partitions must be a whole number, was 'none'" + System.lineSeparator(),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void partitionsOutOfRangeIsOneLineAndExitCode2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OrderTopicWriter.run(
            new String[] {"--partitions", "0"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(OrderService.USAGE, code);
    assertEquals(
        "error: --partitions must be between 1 and 10000, was 0" + System.lineSeparator(),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsItsFlagsWithTheServicesStreamAndTopicFlags() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        OrderTopicWriter.run(
            new String[] {"--help"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertEquals(OrderService.OK, code);
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.startsWith("Usage: OrderTopicWriter [FLAGS]"), help);
    for (String flag :
        new String[] {
          "--bootstrap-servers=HOST:PORT",
          "--topic=TOPIC",
          "--partitions=N",
          "--rate=N",
          "--burst=N",
          "--duration=TIME",
          "--seed=N",
          "--customers=N",
          "--products=N",
          "--help",
          "--version"
        }) {
      assertTrue(help.contains(flag), flag + " is listed:\n" + help);
    }
    assertTrue(help.replaceAll("\\s+", " ").contains("(default: 4)"), help);
  }

  private static Map<Long, ConsumerRecord<String, OrderMessage>> readAll(
      String topic, Map<TopicPartition, Long> ends) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    Map<Long, ConsumerRecord<String, OrderMessage>> byId = new HashMap<>();
    try (KafkaConsumer<String, OrderMessage> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new OrderJson.Reader())) {
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!caughtUp(consumer, ends)) {
        assertTrue(System.nanoTime() < deadline, "read the topic within 30 s");
        for (ConsumerRecord<String, OrderMessage> record : consumer.poll(Duration.ofMillis(100))) {
          assertEquals(null, byId.put(record.value().id(), record), "id once: " + record);
        }
      }
    }
    return byId;
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }
}
