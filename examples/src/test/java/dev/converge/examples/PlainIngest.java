package dev.converge.examples;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The ingest limit the example is judged against: plain Kafka consumers that only store what they
 * read, with no enrichment. Each of {@code consumers} threads has a consumer of its own, assigned
 * its share of the partitions (no group rebalance to wait for; offsets are committed under one
 * fresh group id), and runs the loop a user would write: {@code poll} (the same JSON
 * deserializer as the service), one insert of the polled orders with the service's idempotent
 * insert ({@link EnrichedOrderWriter}, the same statement, rows and {@code run_id}) in its own
 * transaction, then {@code commitAsync}. Customer names and prices are filled in locally, with no
 * lookup and no pricing call. The pool has one connection per consumer.
 */
final class PlainIngest {

  /**
   * What one run measured.
   *
   * @param stored rows the inserts stored
   * @param elapsedNanos from the creation of the consumers to the last insert's commit
   */
  record Result(long stored, long elapsedNanos) {
    double ordersPerSecond() {
      return stored * 1e9 / elapsedNanos;
    }
  }

  private PlainIngest() {}

  /**
   * Consumes {@code topic} from the beginning until the group's committed offsets reach {@code
   * ends}.
   *
   * @param broker the broker
   * @param topic the topic the orders are in
   * @param ends its end offsets
   * @param jdbcUrl the database, whose tables exist
   * @param consumers how many consumers (and connections)
   * @param maxPollRecords the most records a poll returns: the batch size
   * @param products how many products the orders name
   * @return what was stored, and how long it took
   * @throws Exception if a consumer or an insert fails
   */
  static Result run(
      KafkaBroker broker,
      String topic,
      Map<TopicPartition, Long> ends,
      String jdbcUrl,
      int consumers,
      int maxPollRecords,
      int products)
      throws Exception {
    String group = KafkaBroker.unique("plain");
    Catalog catalog = new Catalog(products);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong stored = new AtomicLong();
    AtomicLong lastCommit = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (Database database =
        Database.open(
            jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD, consumers)) {
      EnrichedOrderWriter writer = new EnrichedOrderWriter(database, "kafka:" + topic);
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < consumers; i++) {
        int index = i;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    consume(
                        broker,
                        group,
                        partitions(ends, consumers, index),
                        maxPollRecords,
                        catalog,
                        writer,
                        done,
                        stored,
                        lastCommit);
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "plain-consumer-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
      try {
        // The end is when the group has committed every record, as for the service.
        while (failure.get() == null && !broker.committed(group).equals(ends)) {
          LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
      } finally {
        done.set(true);
        for (Thread thread : threads) {
          thread.join();
        }
      }
      if (failure.get() != null) {
        throw new IllegalStateException("the plain consumer failed", failure.get());
      }
      return new Result(stored.get(), lastCommit.get() - start);
    }
  }

  /** Consumer {@code index}'s share of the partitions: every {@code consumers}-th one. */
  private static List<TopicPartition> partitions(
      Map<TopicPartition, Long> ends, int consumers, int index) {
    return ends.keySet().stream().filter(p -> p.partition() % consumers == index).toList();
  }

  private static void consume(
      KafkaBroker broker,
      String group,
      List<TopicPartition> partitions,
      int maxPollRecords,
      Catalog catalog,
      EnrichedOrderWriter writer,
      AtomicBoolean done,
      AtomicLong stored,
      AtomicLong lastCommit)
      throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    try (KafkaConsumer<String, OrderMessage> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new OrderJson.Reader())) {
      consumer.assign(partitions);
      while (!done.get()) {
        ConsumerRecords<String, OrderMessage> records = consumer.poll(Duration.ofMillis(50));
        if (records.isEmpty()) {
          continue;
        }
        long now = System.nanoTime();
        List<EnrichedOrder> rows = new ArrayList<>(records.count());
        for (ConsumerRecord<String, OrderMessage> record : records) {
          Order order = record.value().toOrder(now);
          long unit = catalog.listPriceCents(order.productId());
          rows.add(
              new EnrichedOrder(
                  order,
                  "customer " + order.customerId(),
                  unit,
                  unit * order.quantity(),
                  PriceOrigin.PRIMARY));
        }
        stored.addAndGet(writer.write(rows));
        lastCommit.accumulateAndGet(System.nanoTime(), Math::max);
        consumer.commitAsync();
      }
      consumer.commitSync();
    }
  }
}
