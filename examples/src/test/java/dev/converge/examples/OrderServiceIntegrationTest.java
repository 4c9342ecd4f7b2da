package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole service for a couple of seconds at a high rate against an H2 database in a file,
 * then opens that database and checks the at-least-once pipeline lost and duplicated nothing.
 */
class OrderServiceIntegrationTest {

  @TempDir Path directory;

  @Test
  void everyProducedOrderIsCommittedExactlyOnce() throws SQLException {
    String url = "jdbc:h2:file:" + directory.resolve("orders").toAbsolutePath();

    ServiceRun run =
        ServiceRun.of("--jdbc-url", url, "--duration", "2s", "--rate", "20000", "--seed", "7");

    assertEquals(OrderService.OK, run.exitCode(), run.err());
    long produced = run.reported("orders produced");
    assertTrue(produced > 1_000, "a 2 s run at 20,000/s produces thousands of orders: " + produced);
    assertEquals(produced, run.reported("orders committed"));
    assertCommittedExactlyOnce(url, produced);
  }

  @Test
  void everyProducedOrderIsCommittedExactlyOnceWithEightBatchesInFlight() throws SQLException {
    String url = "jdbc:h2:file:" + directory.resolve("orders").toAbsolutePath();

    // Small batches, so that many are in flight at once and finish in any order.
    ServiceRun run =
        ServiceRun.of(
            "--jdbc-url",
            url,
            "--duration",
            "2s",
            "--rate",
            "20000",
            "--concurrency",
            "8",
            "--max-size",
            "50",
            "--seed",
            "13");

    assertEquals(OrderService.OK, run.exitCode(), run.err());
    long produced = run.reported("orders produced");
    assertTrue(produced > 1_000, "a 2 s run at 20,000/s produces thousands of orders: " + produced);
    assertEquals(produced, run.reported("orders committed"));
    assertEquals(produced, run.reported("newly stored"));
    assertCommittedExactlyOnce(url, produced);
  }

  @Test
  void everyProducedOrderIsCommittedExactlyOnceOneBatchAtATime() throws SQLException {
    String url = "jdbc:h2:file:" + directory.resolve("orders").toAbsolutePath();

    ServiceRun run =
        ServiceRun.of(
            "--jdbc-url",
            url,
            "--duration",
            "2s",
            "--rate",
            "5000",
            "--concurrency",
            "1",
            "--seed",
            "17");

    assertEquals(OrderService.OK, run.exitCode(), run.err());
    long produced = run.reported("orders produced");
    assertEquals(produced, run.reported("orders committed"));
    assertCommittedExactlyOnce(url, produced);
  }

  @Test
  void everyProducedOrderIsCommittedExactlyOnceWhenPricingFails30Percent() throws SQLException {
    String url = "jdbc:h2:file:" + directory.resolve("orders").toAbsolutePath();

    ServiceRun run =
        ServiceRun.of(
            "--jdbc-url",
            url,
            "--duration",
            "2s",
            "--rate",
            "20000",
            "--price-failure-rate",
            "0.3",
            "--price-deadline",
            "20ms",
            "--seed",
            "11");

    assertEquals(OrderService.OK, run.exitCode(), run.err());
    long produced = run.reported("orders produced");
    assertEquals(produced, run.reported("orders committed"));
    assertCommittedExactlyOnce(url, produced);
    assertTrue(
        run.reported("fallback prices") > 0, "failed pricing calls fall back:\n" + run.out());
    assertTrue(
        count(url, "SELECT COUNT(*) FROM enriched_orders WHERE price_origin = 'FALLBACK'") > 0);
    assertTrue(
        count(url, "SELECT COUNT(*) FROM enriched_orders WHERE price_origin = 'PRIMARY'") > 0);
  }

  @Test
  void printsAProgressLineAboutOnceASecond() {
    ServiceRun run =
        ServiceRun.of(
            "--jdbc-url", "jdbc:h2:mem:progress-test", "--duration", "2s", "--rate", "5000");

    assertEquals(OrderService.OK, run.exitCode(), run.err());
    long progressLines = run.out().lines().filter(line -> line.contains("orders/s  ")).count();
    assertTrue(progressLines >= 1, "at least one progress line in a 2 s run:\n" + run.out());
  }

  @Test
  void stoppingEarlyEndsProductionAndStillCommitsEverythingProduced() throws SQLException {
    String url = "jdbc:h2:file:" + directory.resolve("orders").toAbsolutePath();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // What Ctrl-C does: the stop signal, here given before the run starts. A 10-minute run ends.
    int code =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                OrderService.run(
                    new String[] {"--jdbc-url", url, "--duration", "10m"},
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    CompletableFuture.completedFuture(null)));

    ServiceRun run =
        new ServiceRun(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertEquals(OrderService.OK, run.exitCode(), run.err());
    long produced = run.reported("orders produced");
    assertEquals(produced, run.reported("orders committed"));
    assertEquals(produced, count(url, "SELECT COUNT(*) FROM enriched_orders"));
  }

  /** Ids run 1..produced, so count, distinct count, min and max pin down "each exactly once". */
  private static void assertCommittedExactlyOnce(String url, long produced) throws SQLException {
    assertAll(
        () -> assertEquals(produced, count(url, "SELECT COUNT(*) FROM enriched_orders")),
        () ->
            assertEquals(
                produced, count(url, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders")),
        () -> assertEquals(1, count(url, "SELECT MIN(order_id) FROM enriched_orders")),
        () -> assertEquals(produced, count(url, "SELECT MAX(order_id) FROM enriched_orders")),
        () ->
            assertEquals(
                0,
                count(
                    url,
                    "SELECT COUNT(*) FROM enriched_orders e "
                        + "LEFT JOIN customers c ON c.id = e.customer_id WHERE c.id IS NULL "
                        + "OR c.name <> e.customer_name OR e.total_cents <= 0")));
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
