package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seeded, bursty stream: what the generator sends and the topic writer writes. */
class OrderStreamTest {

  @Test
  void everyOrderOfABurstIsDueWhenItsBurstIs() {
    OrderStream stream = new OrderStream(20_000, 200, 10_000, 500, 42);
    long start = 1_000_000_000L;
    long previousDue = Long.MIN_VALUE;
    long nextId = 1;
    for (int burst = 0; burst < 1_000; burst++) {
      long offset = stream.nextOffsetNanos();
      List<Order> orders = stream.nextBurst(start);
      assertTrue(orders.size() >= 1 && orders.size() <= 399, "burst of " + orders.size());
      for (Order order : orders) {
        // The due time, never the moment someone got round to sending it.
        assertEquals(start + offset, order.arrivalNanos());
        assertEquals(nextId++, order.id());
        assertTrue(order.customerId() >= 1 && order.customerId() <= 10_000);
        assertTrue(order.productId() >= 1 && order.productId() <= 500);
        assertTrue(order.quantity() >= 1 && order.quantity() <= 5);
      }
      assertTrue(start + offset >= previousDue, "bursts are due in order");
      previousDue = start + offset;
    }
  }

  @Test
  void averagesTheRateOverManyBursts() {
    OrderStream stream = new OrderStream(20_000, 200, 10_000, 500, 7);
    long orders = 0;
    while (stream.nextOffsetNanos() < 60_000_000_000L) {
      orders += stream.nextBurst(0).size();
    }
    double perSecond = orders / 60.0;
    assertTrue(perSecond > 18_000 && perSecond < 22_000, "about 20,000/s: " + perSecond);
  }

  @Test
  void theSameSeedGivesTheSameStream() {
    assertEquals(
        draw(new OrderStream(5_000, 50, 100, 20, 3)), draw(new OrderStream(5_000, 50, 100, 20, 3)));
  }

  private static List<Order> draw(OrderStream stream) {
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      orders.addAll(stream.nextBurst(0));
    }
    return orders;
  }
}
