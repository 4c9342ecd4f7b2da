package dev.converge.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes a batch of enriched orders with one batched {@code INSERT} in one transaction. The batch
 * is done when {@link #write} returns: its orders are committed, all or none.
 *
 * <p>Thread-safe: each call borrows its own connection.
 */
final class EnrichedOrderWriter {

  private static final String INSERT = "INSERT INTO enriched_orders (run_id, order_id, customer_id, "
      + "customer_name, product_id, quantity, unit_price_cents, total_cents, price_origin) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final ConnectionPool pool;
  private final String runId;

  /**
   * Creates the writer.
   *
   * @param pool where connections come from
   * @param runId this run's id, written with every row
   */
  EnrichedOrderWriter(ConnectionPool pool, String runId) {
    this.pool = pool;
    this.runId = runId;
  }

  /**
   * Inserts the orders and commits.
   *
   * @param orders the batch's orders
   * @throws SQLException if the insert or the commit failed; the transaction is rolled back
   * @throws InterruptedException if interrupted while waiting for a connection
   */
  void write(List<EnrichedOrder> orders) throws SQLException, InterruptedException {
    pool.withConnection(connection -> {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
        for (EnrichedOrder enriched : orders) {
          Order order = enriched.order();
          insert.setString(1, runId);
          insert.setLong(2, order.id());
          insert.setLong(3, order.customerId());
          insert.setString(4, enriched.customerName());
          insert.setLong(5, order.productId());
          insert.setInt(6, order.quantity());
          insert.setLong(7, enriched.unitPriceCents());
          insert.setLong(8, enriched.totalCents());
          insert.setString(9, enriched.origin().name());
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
        return null;
      } catch (SQLException e) {
        rollback(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }

  private static void rollback(Connection connection, SQLException failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
