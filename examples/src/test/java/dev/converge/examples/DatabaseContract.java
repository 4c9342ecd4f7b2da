package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.batch.Scheduler;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the service needs from any database, run on H2 and on PostgreSQL: several members preparing
 * one empty database at once, idempotent writes (alone and racing), and a customer lookup whose
 * statement text does not depend on the batch. Members racing each other run their calls as the
 * service does, through {@link DatabaseRetry}, which runs a transaction that collided with another
 * again.
 */
abstract class DatabaseContract {

  private static final int CUSTOMERS = 3_000;

  private final ExecutorService attempts = Executors.newCachedThreadPool();

  @AfterEach
  void stopAttempts() {
    attempts.shutdownNow();
  }

  /** Runs a call until it succeeds, retrying conflicts (and outages, 30 s) as the service does. */
  private <T> T retried(DatabaseRetry.SqlCall<T> call) throws Exception {
    ServiceMetrics metrics = new ServiceMetrics();
    OutageReporter outage =
        new OutageReporter(
            "the database",
            Duration.ofSeconds(30),
            Scheduler.system(),
            new PrintStream(OutputStream.nullOutputStream()),
            metrics);
    DatabaseRetry retry =
        new DatabaseRetry(attempts, Scheduler.system(), Backoff.standard(), outage, metrics);
    return retry.call(call).get(60, TimeUnit.SECONDS);
  }

  /**
   * Returns a fresh, empty database.
   *
   * @return its JDBC URL
   * @throws Exception if it cannot be created
   */
  abstract String newDatabase() throws Exception;

  abstract String user();

  abstract String password();

  abstract SqlDialect expectedDialect();

  private Database open(String url) throws SQLException {
    return Database.open(url, user(), password(), OrderPipeline.jdbcThreads(1));
  }

  @Test
  void recognisesTheDatabase() throws Exception {
    try (Database database = open(newDatabase())) {
      assertEquals(expectedDialect(), database.dialect());
    }
  }

  @Test
  void membersStartingAtOnceOnOneEmptyDatabasePrepareItOnce() throws Exception {
    String url = newDatabase();
    int members = 4;
    CyclicBarrier start = new CyclicBarrier(members);
    ExecutorService threads = Executors.newFixedThreadPool(members);
    try {
      List<Future<Void>> prepared = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        prepared.add(
            threads.submit(
                () -> {
                  try (Database database = open(url)) {
                    start.await(30, TimeUnit.SECONDS);
                    retried(
                        () -> {
                          Schema.prepare(database, CUSTOMERS);
                          return null;
                        });
                  }
                  return null;
                }));
      }
      for (Future<Void> member : prepared) {
        member.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    try (Database database = open(url)) {
      assertEquals(CUSTOMERS, count(database, "SELECT COUNT(*) FROM customers"));
      assertEquals(CUSTOMERS, count(database, "SELECT COUNT(DISTINCT id) FROM customers"));
      assertEquals(CUSTOMERS, count(database, "SELECT MAX(id) FROM customers"));
      // And a member starting later finds it all there.
      Schema.prepare(database, CUSTOMERS);
      assertEquals(CUSTOMERS, count(database, "SELECT COUNT(*) FROM customers"));
    }
  }

  @Test
  void batchWrittenTwiceIsStoredOnce() throws Exception {
    try (Database database = open(newDatabase())) {
      Schema.prepare(database, CUSTOMERS);
      EnrichedOrderWriter writer = new EnrichedOrderWriter(database, "kafka:orders");

      assertEquals(100, writer.write(orders(1, 100)));
      assertEquals(0, writer.write(orders(1, 100)));
      // A redelivered batch overlapping a new one: only the new orders are stored.
      assertEquals(50, writer.write(orders(51, 150)));

      assertEquals(150, count(database, "SELECT COUNT(*) FROM enriched_orders"));
      assertEquals(150, count(database, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders"));
      // Another stream's order 7 is another order.
      assertEquals(1, new EnrichedOrderWriter(database, "kafka:returns").write(orders(7, 7)));
      assertEquals(151, count(database, "SELECT COUNT(*) FROM enriched_orders"));
    }
  }

  @Test
  void membersWritingTheSameOrdersAtOnceStoreEachOnce() throws Exception {
    String url = newDatabase();
    try (Database prepared = open(url)) {
      Schema.prepare(prepared, CUSTOMERS);
    }
    int members = 3;
    int rounds = 20;
    CyclicBarrier together = new CyclicBarrier(members);
    ExecutorService threads = Executors.newFixedThreadPool(members);
    long stored = 0;
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int m = 0; m < members; m++) {
        results.add(
            threads.submit(
                (Callable<Long>)
                    () -> {
                      long mine = 0;
                      try (Database database = open(url)) {
                        EnrichedOrderWriter writer =
                            new EnrichedOrderWriter(database, "kafka:orders");
                        for (int round = 0; round < rounds; round++) {
                          together.await(30, TimeUnit.SECONDS);
                          List<EnrichedOrder> batch = orders(round * 50L + 1, round * 50L + 50);
                          mine += retried(() -> writer.write(batch));
                        }
                      }
                      return mine;
                    }));
      }
      for (Future<Long> result : results) {
        stored += result.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    try (Database database = open(url)) {
      assertEquals(rounds * 50L, stored, "each order counted as newly stored by one member");
      assertEquals(rounds * 50L, count(database, "SELECT COUNT(*) FROM enriched_orders"));
      assertEquals(
          rounds * 50L, count(database, "SELECT COUNT(DISTINCT order_id) FROM enriched_orders"));
    }
  }

  @Test
  void customerLookupFindsTheSameCustomersWithArraysAndPaddedLists() throws Exception {
    try (Database database = open(newDatabase())) {
      Schema.prepare(database, CUSTOMERS);
      CustomerRepository arrays = new CustomerRepository(database.dataSource(), true);
      CustomerRepository lists = new CustomerRepository(database.dataSource(), false);
      SplittableRandom random = new SplittableRandom(13);
      for (int size : new int[] {1, 2, 3, 7, 64, 65, 500, 1_000}) {
        Set<Long> ids = new HashSet<>();
        while (ids.size() < size) {
          // Some ids beyond the seeded customers: absent from the result, not an error.
          ids.add(1 + (long) random.nextInt(CUSTOMERS + CUSTOMERS / 10));
        }
        Map<Long, Customer> byArray = arrays.load(ids);
        Map<Long, Customer> byList = lists.load(ids);

        assertEquals(byArray, byList, "size " + size);
        long expected = ids.stream().filter(id -> id <= CUSTOMERS).count();
        assertEquals(expected, byArray.size(), "size " + size);
        for (Customer customer : byArray.values()) {
          assertEquals("customer-" + customer.id(), customer.name());
          assertEquals(Schema.discountOf(customer.id()), customer.discountPercent());
        }
      }
    }
  }

  private static List<EnrichedOrder> orders(long first, long last) {
    return LongStream.rangeClosed(first, last)
        .mapToObj(
            id ->
                new EnrichedOrder(
                    new Order(id, 1 + id % CUSTOMERS, 1 + id % 50, 2, 0),
                    "customer-" + (1 + id % CUSTOMERS),
                    250,
                    500,
                    PriceOrigin.PRIMARY))
        .toList();
  }

  private static long count(Database database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
