package dev.converge.examples;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The few places where the service's SQL depends on the database: the idempotent insert, the
 * customer lookup, and how concurrent members serialise creating the schema. Chosen once, from the
 * database's product name.
 */
enum SqlDialect {

  /**
   * PostgreSQL (any version the driver supports, 14 included): {@code INSERT … ON CONFLICT DO
   * NOTHING}, {@code = ANY(?)} with a {@code bigint[]}, and an advisory lock around the schema.
   */
  POSTGRESQL(true),

  /** H2: the SQL-standard {@code MERGE … WHEN NOT MATCHED}, and {@code = ANY(?)} with an array. */
  H2(true),

  /**
   * Anything else: the SQL-standard {@code MERGE}, and {@code IN (…)} lists padded to a power of two
   * so that a handful of statement texts serve every batch size.
   */
  OTHER(false);

  private final boolean arrays;

  SqlDialect(boolean arrays) {
    this.arrays = arrays;
  }

  /**
   * Tells whether the customer lookup binds all its ids as one array parameter.
   *
   * @return true for {@code = ANY(?)}, false for padded {@code IN (…)} lists
   */
  boolean bindsArrays() {
    return arrays;
  }

  /**
   * Returns an insert of one row that does nothing if a row with the same key exists, so that
   * running it twice stores the row once. Its update count is 1 if it stored the row, else 0.
   *
   * @param table the table
   * @param columns the columns, each {@code "name TYPE"}, bound in this order
   * @param key the names of the key's columns, a unique constraint of the table
   * @return the statement's text, with one {@code ?} per column
   */
  String insertIfAbsent(String table, List<String> columns, List<String> key) {
    List<String> names = columns.stream().map(column -> column.split(" ", 2)[0]).toList();
    String nameList = String.join(", ", names);
    if (this == POSTGRESQL) {
      // MERGE came with PostgreSQL 15; ON CONFLICT works from 9.5 on, and waits for a concurrent
      // insert of the same key to commit instead of failing.
      return "INSERT INTO "
          + table
          + " ("
          + nameList
          + ") VALUES ("
          + "?, ".repeat(names.size() - 1)
          + "?) ON CONFLICT ("
          + String.join(", ", key)
          + ") DO NOTHING";
    }
    // The parameters are typed by casts: a bare ? in VALUES has no type to infer.
    String values =
        String.join(
            ", ",
            columns.stream().map(column -> "CAST(? AS " + column.split(" ", 2)[1] + ")").toList());
    String on = String.join(" AND ", key.stream().map(k -> "t." + k + " = s." + k).toList());
    String sourceColumns = String.join(", ", names.stream().map(name -> "s." + name).toList());
    return "MERGE INTO "
        + table
        + " t USING (VALUES ("
        + values
        + ")) s ("
        + nameList
        + ") ON "
        + on
        + " WHEN NOT MATCHED THEN INSERT ("
        + nameList
        + ") VALUES ("
        + sourceColumns
        + ")";
  }

  /**
   * Returns an insert of many rows in one statement that skips rows whose key exists, or null where
   * the database has no such statement (then {@link #insertIfAbsent} is run once per row, in a JDBC
   * batch). The first {@code scalars} columns hold the same value in every row and are bound once,
   * as plain parameters; each other column is bound as one array. Its update count is the number of
   * rows it stored. One text serves every batch size.
   *
   * @param table the table
   * @param columns the columns, each {@code "name TYPE"}, bound in this order
   * @param key the names of the key's columns, a unique constraint of the table
   * @param scalars how many leading columns are bound once, as scalars
   * @return the statement's text, with one {@code ?} per column, or null
   */
  String insertAllIfAbsent(String table, List<String> columns, List<String> key, int scalars) {
    if (this != POSTGRESQL) {
      return null;
    }
    List<String> names = columns.stream().map(column -> column.split(" ", 2)[0]).toList();
    String values =
        String.join(
            ", ",
            columns.subList(0, scalars).stream()
                .map(column -> "CAST(? AS " + column.split(" ", 2)[1] + ")")
                .toList());
    String arrays =
        String.join(
            ", ",
            columns.subList(scalars, columns.size()).stream()
                .map(column -> "CAST(? AS " + column.split(" ", 2)[1] + "[])")
                .toList());
    // A value the same in every row is sent and parsed once, not once per row in an array: the
    // profile of the Kafka → PostgreSQL run showed the text arrays' encoding on the JDBC threads.
    // ON CONFLICT DO NOTHING also skips a key repeated within the statement.
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", names)
        + ") SELECT "
        + (scalars > 0 ? values + ", " : "")
        + "u.* FROM unnest("
        + arrays
        + ") AS u ON CONFLICT ("
        + String.join(", ", key)
        + ") DO NOTHING";
  }

  /**
   * Recognises the database behind a connection.
   *
   * @param connection any connection to it
   * @return its dialect
   * @throws SQLException if the driver cannot say what the database is
   */
  static SqlDialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (product.equals("h2")) {
      return H2;
    }
    return OTHER;
  }
}
