package dev.converge.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the service's two tables if they are missing and seeds the customers. Existing rows are
 * kept, so the service can run again and again against the same database.
 *
 * <p>Several members may start at once against one empty database. On PostgreSQL they take turns
 * under a transaction-scoped advisory lock (concurrent {@code CREATE TABLE IF NOT EXISTS} can fail
 * there on the catalog's unique index); elsewhere every statement is idempotent and a transaction
 * that collides with another member's fails with a conflict, which the caller's {@link
 * DatabaseRetry} runs again.
 */
final class Schema {

  /** The orders' table; its key makes writing an order a second time a no-op. */
  static final String ENRICHED_ORDERS = "enriched_orders";

  /** Its columns, in the order the writer binds them. */
  static final List<String> ENRICHED_ORDER_COLUMNS =
      List.of(
          "run_id VARCHAR(255)",
          "order_id BIGINT",
          "customer_id BIGINT",
          "customer_name VARCHAR(100)",
          "product_id BIGINT",
          "quantity INT",
          "unit_price_cents BIGINT",
          "total_cents BIGINT",
          "price_origin VARCHAR(10)");

  /** The key of an enriched order: the stream it came from and its id within that stream. */
  static final List<String> ENRICHED_ORDER_KEY = List.of("run_id", "order_id");

  private static final List<String> CUSTOMER_COLUMNS =
      List.of("id BIGINT", "name VARCHAR(100)", "discount_percent INT");

  private static final String CREATE_CUSTOMERS =
      "CREATE TABLE IF NOT EXISTS customers ("
          + "id BIGINT PRIMARY KEY, "
          + "name VARCHAR(100) NOT NULL, "
          + "discount_percent INT NOT NULL)";

  private static final String CREATE_ENRICHED_ORDERS =
      "CREATE TABLE IF NOT EXISTS "
          + ENRICHED_ORDERS
          + " ("
          + String.join(", ", ENRICHED_ORDER_COLUMNS.stream().map(c -> c + " NOT NULL").toList())
          + ", PRIMARY KEY ("
          + String.join(", ", ENRICHED_ORDER_KEY)
          + "))";

  /** Any number, the same in every member: the advisory lock they serialise schema creation on. */
  private static final long SCHEMA_LOCK = 0x636f6e7665726765L;

  private static final int SEED_CHUNK = 1_000;

  private Schema() {}

  /**
   * Creates the tables and makes sure customers 1..{@code customers} exist.
   *
   * @param database the database
   * @param customers how many customers there must be
   * @throws SQLException if the database refuses; one attempt, which may be run again
   */
  static void prepare(Database database, int customers) throws SQLException {
    SqlDialect dialect = database.dialect();
    database.inTransaction(
        connection -> {
          if (dialect == SqlDialect.POSTGRESQL) {
            try (Statement statement = connection.createStatement()) {
              statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
            }
          }
          try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_CUSTOMERS);
            statement.execute(CREATE_ENRICHED_ORDERS);
          }
          seed(connection, dialect, customers);
          return null;
        });
  }

  /**
   * Inserts the customers above the highest present. Each insert skips an existing id, so a
   * member seeding at the same time as another stores every customer once.
   */
  private static void seed(Connection connection, SqlDialect dialect, int customers)
      throws SQLException {
    long highest;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(id), 0) FROM customers")) {
      rows.next();
      highest = rows.getLong(1);
    }
    if (highest >= customers) {
      return;
    }
    String insert = dialect.insertIfAbsent("customers", CUSTOMER_COLUMNS, List.of("id"));
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      for (long id = highest + 1; id <= customers; id++) {
        statement.setLong(1, id);
        statement.setString(2, "customer-" + id);
        statement.setInt(3, discountOf(id));
        statement.addBatch();
        if (id % SEED_CHUNK == 0) {
          statement.executeBatch();
        }
      }
      statement.executeBatch();
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
