package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void emptyHistogramReportsZero() {
    LatencyHistogram histogram = new LatencyHistogram();

    assertEquals(0, histogram.percentileMicros(0.5));
    assertEquals(0, histogram.maxMicros());
    assertEquals(0, histogram.count());
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int micros = 1; micros <= 100; micros++) {
      histogram.record(micros);
    }

    assertEquals(50, histogram.percentileMicros(0.50));
    assertEquals(99, histogram.percentileMicros(0.99));
    assertEquals(100, histogram.maxMicros());
  }

  @Test
  void percentilesOfRandomLatenciesAreWithinTwoPercentOfExact() {
    Random random = new Random(20_251_123L);
    for (int round = 0; round < 20; round++) {
      LatencyHistogram histogram = new LatencyHistogram();
      long[] values = new long[5_000];
      for (int i = 0; i < values.length; i++) {
        // Log-uniform from 1 µs to about 17 min: every bucket range gets exercised.
        values[i] = (long) Math.exp(random.nextDouble() * 30);
        histogram.record(values[i]);
      }
      Arrays.sort(values);
      for (double fraction : new double[] {0.5, 0.9, 0.99, 1.0}) {
        long exact = values[(int) Math.ceil(fraction * values.length) - 1];
        long estimate = histogram.percentileMicros(fraction);
        assertTrue(estimate >= exact && estimate <= exact + exact / 50 + 1,
            "p" + fraction + ": exact " + exact + ", estimate " + estimate);
      }
      assertEquals(values[values.length - 1], histogram.maxMicros());
    }
  }

  @Test
  void everyValueFallsInTheBucketWhoseUpperEdgeBoundsIt() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      long value = (random.nextLong() >>> 1) >>> random.nextInt(63);
      int index = LatencyHistogram.indexOf(value);
      assertTrue(LatencyHistogram.upperEdgeOf(index) >= value, "upper edge of " + value);
      assertTrue(index == 0 || LatencyHistogram.upperEdgeOf(index - 1) < value,
          "previous upper edge of " + value);
    }
  }

  @Test
  void negativeLatencyCountsAsZero() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(-5);

    assertEquals(0, histogram.percentileMicros(1.0));
    assertEquals(1, histogram.count());
  }
}
