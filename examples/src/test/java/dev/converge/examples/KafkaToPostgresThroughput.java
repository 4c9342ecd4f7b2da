package dev.converge.examples;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures, in one run on this machine, the service's Kafka → PostgreSQL throughput against the
 * machine's ingest limit on the same topic and database. Starts an in-process Kafka node and an
 * embedded PostgreSQL, writes the seeded order stream into a 4-partition topic first (so nobody
 * waits for the writer), then, round after round, consumes the whole topic from the beginning with
 * a fresh group each time:
 *
 * <ul>
 *   <li>{@code plain}: {@link PlainIngest}, two plain consumers that only store the rows (the same
 *       idempotent insert, no enrichment, two connections): the ingest limit;
 *   <li>{@code plain×4}: the same with four consumers and connections, one per partition;
 *   <li>{@code c=1}: the service with {@code --concurrency 1};
 *   <li>{@code default}: the service with its default flags.
 * </ul>
 *
 * <p>The table is emptied before each contender, so each stores every order anew. Each
 * contender's time runs from its start (consumer creation, group join) to its last database
 * commit; the run ends once the group has committed every record, and every order must have been
 * stored exactly once. Then the service's latency is measured at a paced rate: the service consumes
 * a second topic while {@link OrderTopicWriter} writes it in real time. The command is in
 * BENCHMARKS.md.
 */
public final class KafkaToPostgresThroughput {

  private static final Pattern THROUGHPUT = Pattern.compile("throughput\\s+([\\d,]+) orders/s");
  private static final Pattern P50 = Pattern.compile("latency p50\\s+([\\d.]+) ms");
  private static final Pattern P99 = Pattern.compile("latency p99\\s+([\\d.]+) ms");

  private KafkaToPostgresThroughput() {}

  /**
   * Runs the measurement.
   *
   * @param args how many orders to write (about; the stream comes in bursts; default 300,000), how
   *     many rounds (default 3), the paced rate for the latency run in orders/s (default 10,000; 0
   *     skips it), then any further flags for the service's runs, e.g. {@code --max-size 1000}
   * @throws Exception if the broker, PostgreSQL, a contender fails, or an order is not stored once
   */
  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int pacedRate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    List<String> extra = List.of(args).subList(Math.min(3, args.length), args.length);
    ServiceOptions defaults = OptionsParser.parse();
    try (KafkaBroker broker = KafkaBroker.start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      String db = postgres.newDatabase();
      String topic = "orders";
      write(broker, topic, orders, 100_000);
      Map<TopicPartition, Long> ends = broker.endOffsets(topic, 4);
      long total = ends.values().stream().mapToLong(Long::longValue).sum();
      try (Database database =
          Database.open(db, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD, 1)) {
        Schema.prepare(database, defaults.customers());
      }
      System.out.printf(
          Locale.ROOT,
          "%,d orders in topic %s; %d rounds; service flags beyond"
              + " the defaults: %s; default --concurrency %d; load %s%n",
          total,
          topic,
          rounds,
          String.join(" ", extra),
          defaults.concurrency(),
          load());

      Map<String, List<Double>> rates = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        for (int consumers : List.of(2, 4)) {
          truncate(db);
          PlainIngest.Result plain =
              PlainIngest.run(
                  broker, topic, ends, db, consumers, defaults.maxSize(), defaults.products());
          String name = consumers == 2 ? "plain" : "plain×4";
          check(name, plain.stored(), total, db);
          record(rates, name, plain.ordersPerSecond(), round);
        }
        for (String name : List.of("c=1", "default")) {
          List<String> flags = new ArrayList<>(extra);
          if (name.equals("c=1")) {
            flags.addAll(List.of("--concurrency", "1"));
          }
          truncate(db);
          String report = service(broker, topic, ends, db, flags);
          check(name, count(db), total, db);
          record(rates, name, number(THROUGHPUT, report), round);
        }
      }
      summarize(rates);
      if (pacedRate > 0) {
        paced(broker, db, pacedRate, extra);
      }
    }
  }

  /** Runs one service member on {@code topic} until its group has committed every record. */
  private static String service(
      KafkaBroker broker,
      String topic,
      Map<TopicPartition, Long> ends,
      String db,
      List<String> extra)
      throws Exception {
    String group = KafkaBroker.unique("service");
    List<String> flags =
        ServiceMembers.kafkaToPostgres(broker.bootstrapServers(), topic, group, db);
    flags.addAll(List.of("--duration", "30m"));
    flags.addAll(extra);
    ServiceOptions options = OptionsParser.parse(flags.toArray(String[]::new));
    CompletableFuture<Void> stop = new CompletableFuture<>();
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (!broker.committed(group).equals(ends)) {
                  LockSupport.parkNanos(20_000_000L);
                }
                stop.complete(null);
              } catch (Exception e) {
                stop.completeExceptionally(e);
              }
            },
            "committed-watcher");
    watcher.setDaemon(true);
    watcher.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new OrderPipeline(options, out, stop).run();
    }
    String text = output.toString(StandardCharsets.UTF_8);
    return text.substring(Math.max(0, text.indexOf("done")));
  }

  /**
   * The latency run: the service (default flags) consumes a topic that {@link OrderTopicWriter}
   * writes at {@code rate} for 20 s, so latency counts from when each order was due.
   */
  private static void paced(KafkaBroker broker, String db, int rate, List<String> extra)
      throws Exception {
    String topic = broker.createTopic("paced", 4);
    truncate(db);
    CompletableFuture<String> writer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return write(broker, topic, rate * 20, rate);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // The service starts at once and catches up with the writer as it writes.
    String group = KafkaBroker.unique("paced");
    List<String> flags =
        ServiceMembers.kafkaToPostgres(broker.bootstrapServers(), topic, group, db);
    flags.addAll(List.of("--duration", "30m"));
    flags.addAll(extra);
    ServiceOptions options = OptionsParser.parse(flags.toArray(String[]::new));
    CompletableFuture<Void> stop =
        writer.thenRunAsync(
            () -> {
              try {
                Map<TopicPartition, Long> ends = broker.endOffsets(topic, 4);
                while (!broker.committed(group).equals(ends)) {
                  LockSupport.parkNanos(20_000_000L);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    String loadBefore = load();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new OrderPipeline(options, out, stop).run();
    }
    long total = broker.endOffsets(topic, 4).values().stream().mapToLong(Long::longValue).sum();
    check("paced", count(db), total, db);
    String text = output.toString(StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "paced at %,d orders/s for 20 s (%s): %,d orders stored once;"
            + " latency p50 %.1f ms, p99 %.1f ms; load %s → %s%n",
        rate,
        writer.join().trim(),
        total,
        number(P50, text),
        number(P99, text),
        loadBefore,
        load());
  }

  private static String write(KafkaBroker broker, String topic, int orders, int rate)
      throws Exception {
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
              "4",
              "--rate",
              Integer.toString(rate),
              "--duration",
              (orders * 1000L / rate) + "ms"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    if (code != OrderService.OK) {
      throw new IllegalStateException(err.toString(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void record(Map<String, List<Double>> rates, String name, double rate, int round)
      throws IOException {
    rates.computeIfAbsent(name, key -> new ArrayList<>()).add(rate);
    System.out.printf(
        Locale.ROOT, "round %d  %-8s %,8.0f orders/s   load %s%n", round, name, rate, load());
  }

  private static void summarize(Map<String, List<Double>> rates) {
    // The limit is the faster of the two plain contenders.
    double plain = Math.max(median(rates.get("plain")), median(rates.get("plain×4")));
    for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
      double median = median(entry.getValue());
      System.out.printf(
          Locale.ROOT,
          "median   %-8s %,8.0f orders/s   %.2f of the ingest limit (the faster plain)%n",
          entry.getKey(),
          median,
          median / plain);
    }
    List<Double> plains = rates.get("plain");
    List<Double> plains4 = rates.get("plain×4");
    List<Double> defaults = rates.get("default");
    StringBuilder perRound = new StringBuilder();
    for (int i = 0; i < plains.size(); i++) {
      perRound.append(
          String.format(
              Locale.ROOT, " %.2f", defaults.get(i) / Math.max(plains.get(i), plains4.get(i))));
    }
    System.out.println("default / the faster plain, round by round:" + perRound);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double number(Pattern pattern, String report) {
    Matcher matcher = pattern.matcher(report);
    if (!matcher.find()) {
      throw new IllegalStateException("no " + pattern + " in the report:\n" + report);
    }
    return Double.parseDouble(matcher.group(1).replace(",", ""));
  }

  /** Every order of the topic stored once: ids 1..total, each once. */
  private static void check(String who, long stored, long total, String db) throws SQLException {
    long distinct = query(db, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders");
    long max = query(db, "SELECT MAX(order_id) FROM enriched_orders");
    if (stored != total || count(db) != total || distinct != total || max != total) {
      throw new IllegalStateException(
          who
              + ": "
              + stored
              + " stored, "
              + count(db)
              + " rows, "
              + distinct
              + " distinct, max id "
              + max
              + "; the topic holds "
              + total);
    }
  }

  private static long count(String db) throws SQLException {
    return query(db, "SELECT COUNT(*) FROM enriched_orders");
  }

  private static void truncate(String db) throws SQLException {
    try (Connection connection = connect(db);
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE enriched_orders");
    }
  }

  private static long query(String db, String sql) throws SQLException {
    try (Connection connection = connect(db);
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(
        db, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
  }

  private static String load() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }
}
