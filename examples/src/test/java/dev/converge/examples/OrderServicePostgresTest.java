package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole service (generator source) against a real PostgreSQL, as a user runs it with
 * {@code --jdbc-url jdbc:postgresql://…}: the driver is on the classpath, and two runs against one
 * database keep their orders apart.
 */
class OrderServicePostgresTest {

  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startPostgres() throws IOException {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    server.close();
  }

  @Test
  void everyProducedOrderIsCommittedExactlyOnceRunAfterRun() throws SQLException {
    String url = server.newDatabase();
    long total = 0;
    for (int run = 1; run <= 2; run++) {
      ServiceRun result =
          ServiceRun.of(
              "--jdbc-url",
              url,
              "--jdbc-user",
              EmbeddedPostgresServer.USER,
              "--jdbc-password",
              EmbeddedPostgresServer.PASSWORD,
              "--duration",
              "1500ms",
              "--rate",
              "10000",
              "--seed",
              Integer.toString(run));

      assertEquals(OrderService.OK, result.exitCode(), result.err());
      long produced = result.reported("orders produced");
      assertTrue(produced > 1_000, "thousands of orders: " + produced);
      assertEquals(produced, result.reported("orders committed"));
      assertEquals(produced, result.reported("newly stored"));
      total += produced;
      assertEquals(total, count(url, "SELECT COUNT(*) FROM enriched_orders"));
      assertEquals(run, count(url, "SELECT COUNT(DISTINCT run_id) FROM enriched_orders"));
      // Each run's ids are 1..its count, once each (the key forbids twice).
      assertEquals(
          0,
          count(
              url,
              "SELECT COUNT(*) FROM (SELECT run_id FROM enriched_orders "
                  + "GROUP BY run_id HAVING COUNT(*) <> MAX(order_id) OR MIN(order_id) <> 1) bad"));
    }
    assertEquals(
        0,
        count(
            url,
            "SELECT COUNT(*) FROM enriched_orders e "
                + "LEFT JOIN customers c ON c.id = e.customer_id WHERE c.id IS NULL "
                + "OR c.name <> e.customer_name OR e.total_cents <= 0"));
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
