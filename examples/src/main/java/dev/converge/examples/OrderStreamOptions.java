package dev.converge.examples;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The flags of the seeded, bursty order stream, shared by the service's generator and
 * {@link OrderTopicWriter}: the same flags give both the same orders.
 */
final class OrderStreamOptions implements FlagChecks.Checked {

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "20000",
      description = "mean orders per second of the generated stream (default: ${DEFAULT-VALUE})")
  private int rate;

  @Option(
      names = "--burst",
      paramLabel = "N",
      defaultValue = "200",
      description = "mean orders per burst; bursts hold 1..2N-1 orders (default: ${DEFAULT-VALUE})")
  private int burst;

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      defaultValue = "10s",
      description =
          "how long orders are generated, or consumed from Kafka, e.g. 500ms, 10s, 2m"
              + " (default: ${DEFAULT-VALUE})")
  private Duration duration;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description =
          "seed of the generated stream and of the service's pricing"
              + " (default: ${DEFAULT-VALUE})")
  private long seed;

  @Option(
      names = "--customers",
      paramLabel = "N",
      defaultValue = "10000",
      description =
          "customer ids are 1..N; the service seeds N customers" + " (default: ${DEFAULT-VALUE})")
  private int customers;

  @Option(
      names = "--products",
      paramLabel = "N",
      defaultValue = "500",
      description =
          "product ids are 1..N; the catalog holds N products" + " (default: ${DEFAULT-VALUE})")
  private int products;

  @Override
  public void check(FlagChecks checks) {
    checks.positive("--rate", rate);
    checks.positive("--burst", burst);
    checks.positive("--duration", duration);
    checks.positive("--customers", customers);
    checks.positive("--products", products);
  }

  // One accessor per flag, named after its field.

  int rate() {
    return rate;
  }

  int burst() {
    return burst;
  }

  Duration duration() {
    return duration;
  }

  long seed() {
    return seed;
  }

  int customers() {
    return customers;
  }

  int products() {
    return products;
  }

  /**
   * Returns the stream these flags describe, from its first order.
   *
   * @return a new stream
   */
  OrderStream newStream() {
    return new OrderStream(rate, burst, customers, products, seed);
  }
}
