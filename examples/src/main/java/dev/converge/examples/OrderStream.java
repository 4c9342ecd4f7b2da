package dev.converge.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded, bursty order stream, as a sequence of bursts on a timeline: what the in-process
 * producer sends and what {@link OrderTopicWriter} writes into a Kafka topic. The same seed gives
 * the same orders at the same offsets from the start.
 *
 * <p>Bursts have 1..2*burst-1 orders (mean {@code burst}); the gaps between bursts are
 * exponentially distributed with a mean that gives {@code rate} orders per second on average.
 * That is the traffic a batch iterator is for: quiet spells that the linger ({@code maxWait})
 * bounds, and bursts that fill whole batches.
 *
 * <p>Not thread-safe: one thread draws the bursts.
 */
final class OrderStream {

  private final int rate;
  private final int burst;
  private final int customers;
  private final int products;
  private final SplittableRandom random;
  private long nextId = 1;
  private long nextOffsetNanos;

  /**
   * Starts the stream.
   *
   * @param rate mean orders per second
   * @param burst mean orders per burst
   * @param customers customer ids are drawn from 1..customers
   * @param products product ids are drawn from 1..products
   * @param seed the seed
   */
  OrderStream(int rate, int burst, int customers, int products, long seed) {
    this.rate = rate;
    this.burst = burst;
    this.customers = customers;
    this.products = products;
    this.random = new SplittableRandom(seed);
  }

  /**
   * Returns when the next burst is due.
   *
   * @return nanoseconds from the start of the stream
   */
  long nextOffsetNanos() {
    return nextOffsetNanos;
  }

  /**
   * Draws the next burst, all of it due at {@link #nextOffsetNanos()}, and moves on to the next.
   *
   * @param startNanos the stream's start on the {@link System#nanoTime()} clock: each order's
   *     arrival is this plus the burst's offset, the time it was due
   * @return the burst's orders, ids increasing from 1 over the whole stream
   */
  List<Order> nextBurst(long startNanos) {
    int size = 1 + random.nextInt(2 * burst - 1);
    List<Order> orders = new ArrayList<>(size);
    long arrival = startNanos + nextOffsetNanos;
    for (int i = 0; i < size; i++) {
      orders.add(
          new Order(
              nextId++,
              1 + random.nextInt(customers),
              1 + random.nextInt(products),
              1 + random.nextInt(5),
              arrival));
    }
    double gapSeconds = -Math.log(1.0 - random.nextDouble()) * size / rate;
    nextOffsetNanos += (long) (gapSeconds * 1e9);
    return orders;
  }
}
