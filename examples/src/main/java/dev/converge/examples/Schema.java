package dev.converge.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the service's two tables if they are missing and seeds the customers, in SQL that H2,
 * PostgreSQL and most other databases accept. Existing rows are kept, so the service can run again
 * and again against the same database: each run's orders carry their own {@code run_id}.
 */
final class Schema {

  private static final String CREATE_CUSTOMERS = "CREATE TABLE IF NOT EXISTS customers ("
      + "id BIGINT PRIMARY KEY, "
      + "name VARCHAR(100) NOT NULL, "
      + "discount_percent INT NOT NULL)";

  private static final String CREATE_ENRICHED_ORDERS = "CREATE TABLE IF NOT EXISTS enriched_orders ("
      + "run_id VARCHAR(36) NOT NULL, "
      + "order_id BIGINT NOT NULL, "
      + "customer_id BIGINT NOT NULL, "
      + "customer_name VARCHAR(100) NOT NULL, "
      + "product_id BIGINT NOT NULL, "
      + "quantity INT NOT NULL, "
      + "unit_price_cents BIGINT NOT NULL, "
      + "total_cents BIGINT NOT NULL, "
      + "price_origin VARCHAR(10) NOT NULL, "
      + "PRIMARY KEY (run_id, order_id))";

  private static final int SEED_CHUNK = 1_000;

  private Schema() {}

  /**
   * Creates the tables and makes sure customers 1..{@code customers} exist.
   *
   * @param connection a connection in auto-commit mode; left in auto-commit mode
   * @param customers how many customers there must be
   * @throws SQLException if the database refuses
   */
  static void prepare(Connection connection, int customers) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(CREATE_CUSTOMERS);
      statement.execute(CREATE_ENRICHED_ORDERS);
    }
    long highest;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(id), 0) FROM customers")) {
      rows.next();
      highest = rows.getLong(1);
    }
    if (highest >= customers) {
      return;
    }
    connection.setAutoCommit(false);
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO customers (id, name, discount_percent) VALUES (?, ?, ?)")) {
      for (long id = highest + 1; id <= customers; id++) {
        insert.setLong(1, id);
        insert.setString(2, "customer-" + id);
        insert.setInt(3, discountOf(id));
        insert.addBatch();
        if (id % SEED_CHUNK == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** A customer's discount: a few tiers, spread over the ids so that every batch meets several. */
  static int discountOf(long customerId) {
    return switch ((int) (customerId % 10)) {
      case 0 -> 15;
      case 1, 2 -> 5;
      default -> 0;
    };
  }
}
