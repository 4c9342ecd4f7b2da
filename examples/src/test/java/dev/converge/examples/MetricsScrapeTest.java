package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics-port}: a Kafka-mode run of the service, on an in-process broker, scraped the way
 * Prometheus scrapes it while the run consumes; the scrape holds the batch, Kafka and JVM metrics.
 */
class MetricsScrapeTest {

  private static final Pattern METRICS_LINE =
      Pattern.compile("(?m)^metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)$");

  private static KafkaBroker broker;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void aRunServesBatchKafkaAndJvmMetricsThatAScrapeReads() throws Exception {
    String topic = KafkaBroker.unique("orders");
    writeOrders(topic);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<Integer> run =
        runInBackground(
            stop,
            out,
            err,
            "--source",
            "kafka",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--topic",
            topic,
            "--group",
            KafkaBroker.unique("enrichers"),
            "--max-size",
            "100",
            "--duration",
            "2m",
            "--metrics-port",
            "0");
    try {
      URI metrics = metricsUri(out, run);
      String[] scrape = new String[1];
      Await.until(
          Duration.ofSeconds(60),
          () -> {
            scrape[0] = scrape(metrics);
            return value(
                    scrape[0], "converge_kafka_commit_seconds_count", "outcome=\"acknowledged\"")
                >= 1;
          },
          () -> "a commit acknowledged; the run printed:\n" + text(out) + text(err));
      String body = scrape[0];

      String name = "name=\"" + topic + "\"";
      assertTrue(value(body, "converge_batches_total", name) >= 1, body);
      for (String batchMeter :
          List.of(
              "converge_batch_size_items_count",
              "converge_batch_fill_seconds_count",
              "converge_batch_wait_seconds_count",
              "converge_batch_held_items")) {
        assertTrue(value(body, batchMeter, name) >= 0, "missing " + batchMeter + ":\n" + body);
      }
      assertTrue(value(body, "converge_kafka_rebalances_total", "kind=\"assigned\"") >= 1, body);
      for (String kafkaMeter :
          List.of(
              "converge_kafka_paused",
              "converge_kafka_held_records",
              "converge_kafka_unmarked_records",
              "converge_kafka_dead_letters_total")) {
        assertTrue(value(body, kafkaMeter, name) >= 0, "missing " + kafkaMeter + ":\n" + body);
      }
      // The consumer's own meters. Kafka adds a fetch's records to records-consumed only once the
      // whole fetch response has been handed out, and one response may hold the whole topic while
      // the iterator holds the consumer back: the fetch count is the one that has moved by now.
      assertTrue(value(body, "kafka_consumer_fetch_manager_fetch_total", name) >= 1, body);
      assertTrue(
          value(body, "kafka_consumer_fetch_manager_records_consumed_total", name) >= 0,
          "missing kafka_consumer_fetch_manager_records_consumed_total:\n" + body);
      for (String jvmMeter :
          List.of(
              "jvm_memory_used_bytes",
              "jvm_threads_live_threads",
              "jvm_classes_loaded_classes",
              "system_cpu_count",
              "process_uptime_seconds")) {
        assertTrue(value(body, jvmMeter, "") >= 0, "missing " + jvmMeter + ":\n" + body);
      }
    } finally {
      stop.complete(null);
    }
    assertEquals(OrderService.OK, run.get(60, TimeUnit.SECONDS), text(out) + text(err));
  }

  @Test
  void withoutTheFlagNothingIsServed() {
    ServiceRun run = ServiceRun.of("--duration", "200ms", "--rate", "1000");

    assertEquals(OrderService.OK, run.exitCode(), run.err() + run.out());
    assertFalse(run.out().contains("metrics at"), run.out());
  }

  /** Writes a second's worth of the seeded order stream into a new topic of 4 partitions. */
  private static void writeOrders(String topic) {
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
              "3000",
              "--duration",
              "1s"
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(OrderService.OK, code, err.toString(StandardCharsets.UTF_8));
  }

  private static CompletableFuture<Integer> runInBackground(
      CompletableFuture<Void> stop,
      ByteArrayOutputStream out,
      ByteArrayOutputStream err,
      String... args) {
    CompletableFuture<Integer> code = new CompletableFuture<>();
    Thread service =
        new Thread(
            () -> {
              try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                  PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code.complete(OrderService.run(args, outStream, errStream, stop));
              } catch (Throwable e) {
                code.completeExceptionally(e);
              }
            },
            "order-service");
    service.setDaemon(true);
    service.start();
    return code;
  }

  /** The URI the run prints at its start. */
  private static URI metricsUri(ByteArrayOutputStream out, CompletableFuture<Integer> run)
      throws Exception {
    Matcher[] line = new Matcher[1];
    Await.until(
        Duration.ofSeconds(60),
        () -> (line[0] = METRICS_LINE.matcher(text(out))).find() || run.isDone(),
        () -> "the run prints where its metrics are:\n" + text(out));
    assertFalse(run.isDone(), () -> "the run ended before serving metrics:\n" + text(out));
    return URI.create(line[0].group(1));
  }

  private String scrape(URI uri) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(
        MetricsEndpoint.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
    return response.body();
  }

  /**
   * The sum of the samples of {@code metric} whose labels contain {@code label}, or -1 if there is
   * none: Prometheus text has one {@code name{labels} value} line per sample.
   */
  private static double value(String body, String metric, String label) {
    Matcher sample =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*})? (\\S+)$").matcher(body);
    double sum = 0;
    boolean found = false;
    while (sample.find()) {
      String labels = sample.group(1) == null ? "" : sample.group(1);
      if (labels.contains(label)) {
        sum += Double.parseDouble(sample.group(2));
        found = true;
      }
    }
    return found ? sum : -1;
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
