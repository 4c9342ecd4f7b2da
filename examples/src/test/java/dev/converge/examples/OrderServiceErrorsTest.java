package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad flag or an unreachable database is one line on standard error and a non-zero exit. */
class OrderServiceErrorsTest {

  @Test
  void unknownJdbcUrlIsOneLineErrorNamingTheDatabase() {
    ServiceRun run = ServiceRun.of("--jdbc-url", "jdbc:nosuchdatabase:orders");

    assertEquals(OrderService.FAILED, run.exitCode());
    assertOneLineError(
        run, "error: cannot connect to the database at jdbc:nosuchdatabase:orders: ");
  }

  @Test
  void unreachableDatabaseIsOneLineErrorNamingTheDatabase() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    String url = "jdbc:h2:tcp://127.0.0.1:1/orders";

    ServiceRun run = ServiceRun.of("--jdbc-url", url);

    assertEquals(OrderService.FAILED, run.exitCode());
    assertOneLineError(run, "error: cannot connect to the database at " + url + ": ");
  }

  @Test
  void batchThatCannotBeCommittedStopsTheServiceWithOneLineError(@TempDir Path directory)
      throws SQLException {
    String url = "jdbc:h2:file:" + directory.resolve("orders").toAbsolutePath();
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement()) {
      // A column the service does not know and cannot fill: every insert fails.
      statement.execute(
          "CREATE TABLE enriched_orders (run_id VARCHAR(36), order_id BIGINT, "
              + "customer_id BIGINT, customer_name VARCHAR(100), product_id BIGINT, quantity INT, "
              + "unit_price_cents BIGINT, total_cents BIGINT, price_origin VARCHAR(10), "
              + "audited_by VARCHAR(20) NOT NULL)");
    }

    ServiceRun run = ServiceRun.of("--jdbc-url", url, "--duration", "1s", "--rate", "5000");

    assertEquals(OrderService.FAILED, run.exitCode());
    assertTrue(run.err().startsWith("error: a batch could not be committed: "), run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(run.err().contains("AUDITED_BY"), "names the problem: " + run.err());
  }

  @Test
  void unknownFlagIsOneLineUsageError() {
    ServiceRun run = ServiceRun.of("--rat", "5000");

    assertEquals(OrderService.USAGE, run.exitCode());
    assertOneLineError(run, "error: unknown flag '--rat'");
  }

  @Test
  void malformedFlagValueIsOneLineUsageError() {
    ServiceRun run = ServiceRun.of("--rate", "fast");

    assertEquals(OrderService.USAGE, run.exitCode());
    assertOneLineError(run, "error: --rate must be a whole number, was 'fast'");
  }

  @Test
  void flagWithoutValueIsOneLineUsageError() {
    ServiceRun run = ServiceRun.of("--duration");

    assertEquals(OrderService.USAGE, run.exitCode());
    assertOneLineError(run, "error: --duration needs a value");
  }

  @Test
  void helpListsEveryFlagAndSucceeds() {
    ServiceRun run = ServiceRun.of("--help");

    assertEquals(OrderService.OK, run.exitCode());
    assertEquals("", run.err());
    for (String flag :
        new String[] {
          "--rate",
          "--burst",
          "--duration",
          "--max-size",
          "--max-wait",
          "--prefetch",
          "--price-latency",
          "--price-failure-rate",
          "--price-deadline",
          "--jdbc-url",
          "--jdbc-user",
          "--jdbc-password",
          "--jdbc-password-file",
          "--source",
          "--bootstrap-servers",
          "--topic",
          "--group"
        }) {
      assertTrue(run.out().contains(flag + "="), flag + " is listed:\n" + run.out());
    }
    // picocli wraps long lines: compare with runs of white space made one space.
    String help = run.out().replaceAll("\\s+", " ");
    for (String defaultValue :
        new String[] {
          "(default: 20000)",
          "(default: 10s)",
          "(default: generator)",
          "(default: jdbc:h2:mem:converge-orders)",
          "(default: orders)"
        }) {
      assertTrue(help.contains(defaultValue), defaultValue + " is listed:\n" + run.out());
    }
  }

  private static void assertOneLineError(ServiceRun run, String start) {
    assertTrue(run.err().startsWith(start), "starts with '" + start + "': " + run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(run.err().endsWith(System.lineSeparator()), "ends its line: " + run.err());
    assertEquals("", run.out(), "nothing on standard output");
  }
}
