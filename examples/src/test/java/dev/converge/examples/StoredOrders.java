package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the service stored in {@code enriched_orders} of a database on the tests' embedded
 * PostgreSQL (user and password {@link EmbeddedPostgresServer#USER} and {@link
 * EmbeddedPostgresServer#PASSWORD}), for the end-to-end and outage tests.
 */
final class StoredOrders {

  private StoredOrders() {}

  /**
   * Runs a query that returns one number.
   *
   * @param db the database's JDBC URL
   * @param sql the query, e.g. {@code SELECT COUNT(*) FROM enriched_orders}
   * @return its number; 0 if the table does not exist yet (no member has created it)
   * @throws SQLException if the database cannot answer
   */
  static long count(String db, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                db, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return 0; // The member has not created the table yet.
      }
      throw e;
    }
  }

  /**
   * Counts the rows stored so far, for waits that run while the database may be down.
   *
   * @param db the database's JDBC URL
   * @return the rows; 0 while the database is down or before a member created the table
   */
  static long stored(String db) {
    try {
      return count(db, "SELECT COUNT(*) FROM enriched_orders");
    } catch (SQLException e) {
      return 0;
    }
  }

  /**
   * Asserts that orders 1..{@code total} are each stored exactly once: as many rows as distinct
   * ids, as many as the total, from 1 to the total.
   *
   * @param db the database's JDBC URL
   * @param total how many orders were written, with ids 1..total
   */
  static void assertExactlyOnce(String db, long total) {
    assertAll(
        () -> assertEquals(total, count(db, "SELECT COUNT(*) FROM enriched_orders")),
        () ->
            assertEquals(total, count(db, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders")),
        () -> assertEquals(1, count(db, "SELECT MIN(order_id) FROM enriched_orders")),
        () -> assertEquals(total, count(db, "SELECT MAX(order_id) FROM enriched_orders")));
  }
}
