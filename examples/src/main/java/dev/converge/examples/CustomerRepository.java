package dev.converge.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Loads the customers of a batch with one query, the query a batch exists to make possible: one
 * round trip for up to {@code maxSize} orders instead of one each.
 *
 * <p>The query's text does not depend on the batch, so the database (and the driver's statement
 * cache) prepares it once: {@code WHERE id = ANY(?)} with all ids in one array where the database
 * takes arrays (PostgreSQL, H2), otherwise {@code WHERE id IN (?, …)} with as many parameters as the
 * next power of two, the last id repeated to fill it (fifteen texts cover every batch size up to 10,000).
 *
 * <p>Thread-safe: each call borrows its own connection.
 */
final class CustomerRepository {

  private static final String SELECT = "SELECT id, name, discount_percent FROM customers WHERE id ";

  private final DataSource dataSource;
  private final boolean arrays;

  /**
   * Creates the repository.
   *
   * @param database where connections come from, and whether it takes arrays
   */
  CustomerRepository(Database database) {
    this(database.dataSource(), database.dialect().bindsArrays());
  }

  /**
   * Creates the repository with a chosen query shape (tests run both shapes on one database).
   *
   * @param dataSource where connections come from
   * @param arrays true for {@code = ANY(?)}, false for padded {@code IN} lists
   */
  CustomerRepository(DataSource dataSource, boolean arrays) {
    this.dataSource = dataSource;
    this.arrays = arrays;
  }

  /**
   * Loads customers by id.
   *
   * @param ids the ids, at least one
   * @return the customers found, by id; an id with no customer is absent
   * @throws SQLException if the query fails
   */
  Map<Long, Customer> load(Set<Long> ids) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            arrays ? byArray(connection, ids) : byPaddedList(connection, ids)) {
      Map<Long, Customer> customers = new HashMap<>(ids.size() * 2);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          Customer customer = new Customer(rows.getLong(1), rows.getString(2), rows.getInt(3));
          customers.put(customer.id(), customer);
        }
      }
      return customers;
    }
  }

  private static PreparedStatement byArray(Connection connection, Set<Long> ids)
      throws SQLException {
    PreparedStatement query = connection.prepareStatement(SELECT + "= ANY(?)");
    try {
      query.setArray(1, connection.createArrayOf("BIGINT", ids.toArray()));
      return query;
    } catch (SQLException e) {
      query.close();
      throw e;
    }
  }

  private static PreparedStatement byPaddedList(Connection connection, Set<Long> ids)
      throws SQLException {
    int size = paddedSize(ids.size());
    PreparedStatement query =
        connection.prepareStatement(SELECT + "IN (" + "?, ".repeat(size - 1) + "?)");
    try {
      Iterator<Long> each = ids.iterator();
      long last = 0;
      for (int index = 1; index <= size; index++) {
        if (each.hasNext()) {
          last = each.next();
        }
        query.setLong(index, last);
      }
      return query;
    } catch (SQLException e) {
      query.close();
      throw e;
    }
  }

  /**
   * Returns how many parameters an {@code IN} list for {@code count} ids has.
   *
   * @param count the ids, at least one
   * @return the smallest power of two not below {@code count}
   */
  static int paddedSize(int count) {
    return count <= 1 ? 1 : Integer.highestOneBit(count - 1) << 1;
  }
}
