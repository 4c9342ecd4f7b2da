package dev.converge.examples;

import java.time.Duration;
import java.util.Map;

/**
 * Everything the order service can be told on its command line; {@link #defaults()} is what it does
 * when told nothing.
 *
 * @param rate mean orders per second the producer emits
 * @param burst mean number of orders per burst; arrivals come in bursts of 1..2*burst-1 orders
 * @param duration how long the generator produces (the service then drains and stops), or how long
 *     the service consumes from Kafka before it closes
 * @param seed seeds the producer and the pricing service, so a run can be repeated
 * @param maxSize the largest batch
 * @param maxWait the longest an order waits for its batch to fill
 * @param prefetch completed batches prepared ahead of the one being processed
 * @param priceLatency mean latency of the pricing service
 * @param priceFailureRate fraction of pricing calls that fail with HTTP 503, 0..1
 * @param priceDeadline how long a batch waits for the pricing service before the cached prices win
 * @param customers how many customers the database holds (ids 1..customers)
 * @param products how many products the catalog holds (ids 1..products)
 * @param jdbcUrl the database; the default is a private in-memory H2 database
 * @param jdbcUser the database user
 * @param jdbcPassword the database password
 * @param source where orders come from
 * @param bootstrapServers the Kafka brokers to start from, {@code host:port[,host:port…]}
 * @param topic the Kafka topic the orders are read from
 * @param group the Kafka consumer group; the members of one group share the topic's partitions
 * @param kafkaProperties further consumer settings (security, timeouts), applied last
 * @param giveUpAfter how long an outage of the database is waited out before the run ends; zero
 *     waits out none
 * @param help print the flags and exit
 */
record ServiceOptions(
    int rate,
    int burst,
    Duration duration,
    long seed,
    int maxSize,
    Duration maxWait,
    int prefetch,
    Duration priceLatency,
    double priceFailureRate,
    Duration priceDeadline,
    int customers,
    int products,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    Source source,
    String bootstrapServers,
    String topic,
    String group,
    Map<String, String> kafkaProperties,
    Duration giveUpAfter,
    boolean help) {

  /** Where the orders come from. */
  enum Source {
    /** The in-process bursty, seeded producer: needs nothing installed. */
    GENERATOR,
    /** A Kafka topic, read through {@code KafkaBatchSource} as a member of a consumer group. */
    KAFKA
  }

  /** The default database: in memory, alive while the service holds a connection to it. */
  static final String DEFAULT_JDBC_URL = "jdbc:h2:mem:converge-orders";

  /**
   * Returns the options of a run with no flags.
   *
   * @return the defaults
   */
  static ServiceOptions defaults() {
    return new ServiceOptions(
        20_000,
        200,
        Duration.ofSeconds(10),
        42L,
        500,
        Duration.ofMillis(20),
        2,
        Duration.ofMillis(5),
        0.0,
        Duration.ofMillis(50),
        10_000,
        500,
        DEFAULT_JDBC_URL,
        "sa",
        "",
        Source.GENERATOR,
        "localhost:9092",
        "orders",
        "converge-orders",
        Map.of(),
        Duration.ofMinutes(5),
        false);
  }
}
