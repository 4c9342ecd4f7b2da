package dev.converge.examples;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures the service end to end on this machine: Kafka → {@code KafkaBatchSource} →
 * {@code BatchIterator} → enrichment → PostgreSQL → Kafka commit. Starts an in-process Kafka node
 * and an embedded PostgreSQL, writes the seeded order stream into a 4-partition topic first (so the
 * service is never waiting for the writer), then runs one service member, in this JVM, until the
 * group has committed every record, and prints the service's report (throughput from the start of
 * the run, group join included, to the last commit). The command is in BENCHMARKS.md.
 */
public final class KafkaToPostgresThroughput {

  private KafkaToPostgresThroughput() {}

  /**
   * Runs the measurement.
   *
   * @param args the number of orders to write (about; the stream comes in bursts), then any further
   *     flags for the service, e.g. {@code --max-size 2000}
   * @throws Exception if the broker, PostgreSQL or the service fails
   */
  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int writeRate = 100_000;
    try (KafkaBroker broker = KafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      String topic = "orders";
      String group = "throughput";
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = OrderTopicWriter.run(new String[] {"--bootstrap-servers",
          broker.bootstrapServers(), "--topic", topic, "--partitions", "4",
          "--rate", Integer.toString(writeRate),
          "--duration", (orders * 1000L / writeRate) + "ms"},
          System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
      if (code != OrderService.OK) {
        throw new IllegalStateException(err.toString(StandardCharsets.UTF_8));
      }
      Map<TopicPartition, Long> ends = broker.endOffsets(topic, 4);
      List<String> flags = new ArrayList<>(List.of("--source", "kafka",
          "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic, "--group", group,
          "--jdbc-url", postgres.newDatabase(), "--jdbc-user", EmbeddedPostgresServer.USER,
          "--jdbc-password", EmbeddedPostgresServer.PASSWORD, "--duration", "30m"));
      flags.addAll(List.of(args).subList(Math.min(1, args.length), args.length));
      ServiceOptions options = OptionsParser.parse(flags.toArray(String[]::new));

      CompletableFuture<Void> stop = new CompletableFuture<>();
      Thread watcher = new Thread(() -> {
        try {
          while (!broker.committed(group).equals(ends)) {
            LockSupport.parkNanos(100_000_000L);
          }
          stop.complete(null);
        } catch (Exception e) {
          stop.completeExceptionally(e);
        }
      }, "committed-watcher");
      watcher.setDaemon(true);
      watcher.start();
      System.out.printf(Locale.ROOT, "%,d orders in topic %s; service flags beyond the defaults: %s%n",
          ends.values().stream().mapToLong(Long::longValue).sum(), topic,
          String.join(" ", List.of(args).subList(Math.min(1, args.length), args.length)));
      ServiceMetrics.Snapshot totals = new OrderPipeline(options, System.out, stop).run();
      long total = ends.values().stream().mapToLong(Long::longValue).sum();
      if (totals.stored() != total) {
        throw new IllegalStateException(totals.stored() + " stored of " + total);
      }
    }
  }
}
