package dev.converge.examples;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Loads the customers of a batch with one {@code SELECT … WHERE id IN (…)} query, the query a batch
 * exists to make possible: one round trip for up to {@code maxSize} orders instead of one each.
 *
 * <p>Thread-safe: each call borrows its own connection.
 */
final class CustomerRepository {

  private final ConnectionPool pool;

  /**
   * Creates the repository.
   *
   * @param pool where connections come from
   */
  CustomerRepository(ConnectionPool pool) {
    this.pool = pool;
  }

  /**
   * Loads customers by id.
   *
   * @param ids the ids, at least one
   * @return the customers found, by id; an id with no customer is absent
   * @throws SQLException if the query fails
   * @throws InterruptedException if interrupted while waiting for a connection (the join that runs
   *     this interrupts it when the batch has already failed)
   */
  Map<Long, Customer> load(Set<Long> ids) throws SQLException, InterruptedException {
    String sql = "SELECT id, name, discount_percent FROM customers WHERE id IN ("
        + "?, ".repeat(ids.size() - 1) + "?)";
    return pool.withConnection(connection -> {
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        int index = 1;
        for (long id : ids) {
          query.setLong(index++, id);
        }
        Map<Long, Customer> customers = new HashMap<>(ids.size() * 2);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Customer customer = new Customer(rows.getLong(1), rows.getString(2), rows.getInt(3));
            customers.put(customer.id(), customer);
          }
        }
        return customers;
      }
    });
  }
}
