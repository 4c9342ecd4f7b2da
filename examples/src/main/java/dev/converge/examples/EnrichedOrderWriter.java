package dev.converge.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Writes a batch of enriched orders with one idempotent insert in one transaction: on PostgreSQL a
 * single statement binding the run id once and each other column as an array ({@code INSERT …
 * SELECT ?, u.* FROM unnest(…) AS u ON CONFLICT DO NOTHING}), elsewhere one {@code MERGE} per
 * order in one JDBC batch. The batch is done when {@link #write} returns: its orders are
 * committed, all or none.
 *
 * <p>Idempotent: an order whose key ({@code run_id}, {@code order_id}) is already stored is skipped,
 * so a batch delivered twice (after a crash or a rebalance) stores each order once. Two members
 * writing the same order at the same moment are fine too: PostgreSQL's {@code ON CONFLICT} waits for
 * the other's commit and skips; elsewhere the losing transaction fails on the key and {@link
 * DatabaseRetry} runs it again, which then skips. For the same reason a write whose commit was sent
 * and whose answer was lost with the connection may simply be run again.
 *
 * <p>Thread-safe: each call borrows its own connection.
 */
final class EnrichedOrderWriter {

  private final Database database;
  private final String insert;
  private final String insertAll;
  private final String runId;

  /**
   * Creates the writer.
   *
   * @param database where connections come from, and which insert it takes
   * @param runId written with every row: the stream the orders come from, which with the order id
   *     identifies an order
   */
  EnrichedOrderWriter(Database database, String runId) {
    this.database = database;
    this.insert =
        database
            .dialect()
            .insertIfAbsent(
                Schema.ENRICHED_ORDERS, Schema.ENRICHED_ORDER_COLUMNS, Schema.ENRICHED_ORDER_KEY);
    // run_id, the first column, is the same in every row of a writer: bound once.
    this.insertAll =
        database
            .dialect()
            .insertAllIfAbsent(
                Schema.ENRICHED_ORDERS,
                Schema.ENRICHED_ORDER_COLUMNS,
                Schema.ENRICHED_ORDER_KEY,
                1);
    this.runId = runId;
  }

  /**
   * Inserts the orders not stored yet and commits.
   *
   * @param orders the batch's orders
   * @return how many of them were stored now; the others were stored before
   * @throws SQLException if the insert or the commit failed; the transaction is rolled back. One
   *     attempt: the caller decides whether to run it again
   */
  int write(List<EnrichedOrder> orders) throws SQLException {
    return database.inTransaction(
        connection ->
            insertAll != null ? insertAll(connection, orders) : insertEach(connection, orders));
  }

  /**
   * One statement, the run id bound once and each other column as one array: one round trip and
   * one plan for the whole batch.
   */
  private int insertAll(Connection connection, List<EnrichedOrder> orders) throws SQLException {
    int size = orders.size();
    Object[] orderIds = new Object[size];
    Object[] customerIds = new Object[size];
    Object[] customerNames = new Object[size];
    Object[] productIds = new Object[size];
    Object[] quantities = new Object[size];
    Object[] unitPrices = new Object[size];
    Object[] totals = new Object[size];
    Object[] origins = new Object[size];
    for (int i = 0; i < size; i++) {
      EnrichedOrder enriched = orders.get(i);
      Order order = enriched.order();
      orderIds[i] = order.id();
      customerIds[i] = order.customerId();
      customerNames[i] = enriched.customerName();
      productIds[i] = order.productId();
      quantities[i] = order.quantity();
      unitPrices[i] = enriched.unitPriceCents();
      totals[i] = enriched.totalCents();
      origins[i] = enriched.origin().name();
    }
    try (PreparedStatement statement = connection.prepareStatement(insertAll)) {
      statement.setString(1, runId);
      statement.setArray(2, connection.createArrayOf("bigint", orderIds));
      statement.setArray(3, connection.createArrayOf("bigint", customerIds));
      statement.setArray(4, connection.createArrayOf("varchar", customerNames));
      statement.setArray(5, connection.createArrayOf("bigint", productIds));
      statement.setArray(6, connection.createArrayOf("integer", quantities));
      statement.setArray(7, connection.createArrayOf("bigint", unitPrices));
      statement.setArray(8, connection.createArrayOf("bigint", totals));
      statement.setArray(9, connection.createArrayOf("varchar", origins));
      return statement.executeUpdate();
    }
  }

  /** One idempotent insert per order, sent as one JDBC batch. */
  private int insertEach(Connection connection, List<EnrichedOrder> orders) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      for (EnrichedOrder enriched : orders) {
        Order order = enriched.order();
        statement.setString(1, runId);
        statement.setLong(2, order.id());
        statement.setLong(3, order.customerId());
        statement.setString(4, enriched.customerName());
        statement.setLong(5, order.productId());
        statement.setInt(6, order.quantity());
        statement.setLong(7, enriched.unitPriceCents());
        statement.setLong(8, enriched.totalCents());
        statement.setString(9, enriched.origin().name());
        statement.addBatch();
      }
      int stored = 0;
      for (int count : statement.executeBatch()) {
        // SUCCESS_NO_INFO: the driver did not say; count it as stored rather than guess.
        stored += count == Statement.SUCCESS_NO_INFO ? 1 : count;
      }
      return stored;
    }
  }
}
