package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The retry schedule: doubling ceilings, capped, each delay in the upper half of its ceiling. */
class BackoffTest {

  private static final long MS = 1_000_000L;

  @Test
  void withoutJitterEachDelayIsHalfItsCeilingAndCeilingsDoubleUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0);

    long[] expected = {50, 100, 200, 400, 800, 1000, 1000, 1000};
    for (int retry = 1; retry <= expected.length; retry++) {
      assertEquals(expected[retry - 1] * MS, backoff.delayNanos(retry), "retry " + retry);
    }
  }

  @Test
  void fullJitterReachesTheCeiling() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 1.0);

    long[] expected = {100, 200, 400, 800, 1600, 2000, 2000};
    for (int retry = 1; retry <= expected.length; retry++) {
      assertEquals(expected[retry - 1] * MS, backoff.delayNanos(retry), "retry " + retry);
    }
  }

  @Test
  void jitterPlacesTheDelayWithinTheUpperHalf() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.25);

    assertEquals(62_500_000L, backoff.delayNanos(1));
    assertEquals(1_250 * MS, backoff.delayNanos(9));
  }

  @Test
  void seededRandomDelaysStayWithinTheirBoundsAndNeverOverflow() {
    for (long seed = 0; seed < 50; seed++) {
      Random random = new Random(seed);
      Backoff backoff =
          new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), random::nextDouble);
      for (int retry = 1; retry <= 200; retry++) {
        long doubled = retry > 20 ? Long.MAX_VALUE : (100 * MS) << (retry - 1);
        long ceiling = Math.min(2_000 * MS, doubled);
        long delay = backoff.delayNanos(retry);
        assertTrue(
            delay >= ceiling / 2 && delay <= ceiling,
            "seed "
                + seed
                + ", retry "
                + retry
                + ": "
                + delay
                + " not within ["
                + ceiling / 2
                + ", "
                + ceiling
                + "]");
      }
    }
  }

  @Test
  void anyNumberOfRetriesStaysAtTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 1.0);

    assertEquals(2_000 * MS, backoff.delayNanos(63));
    assertEquals(2_000 * MS, backoff.delayNanos(64));
    assertEquals(2_000 * MS, backoff.delayNanos(Integer.MAX_VALUE));
  }

  @Test
  void standardBackoffFollowsTheDocumentedBounds() {
    Backoff backoff = Backoff.standard();

    for (int retry = 1; retry <= 10; retry++) {
      long ceiling = Math.min(Backoff.LONGEST.toNanos(), Backoff.FIRST.toNanos() << (retry - 1));
      long delay = backoff.delayNanos(retry);
      assertTrue(delay >= ceiling / 2 && delay <= ceiling, "retry " + retry + ": " + delay);
    }
  }

  @Test
  void retriesCountFromOne() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0);

    assertThrows(IllegalArgumentException.class, () -> backoff.delayNanos(0));
  }

  @Test
  void firstMustBePositiveAndNotAboveTheCap() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(2), () -> 0.0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(3), Duration.ofSeconds(2), () -> 0.0));
  }
}
