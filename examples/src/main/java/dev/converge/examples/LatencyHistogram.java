package dev.converge.examples;

/**
 * Counts latencies in buckets of about 1.5 % relative width, so that percentiles of millions of
 * orders take a few kilobytes: exact below 128 µs, then 64 buckets per power of two.
 *
 * <p>Not thread-safe; {@link ServiceMetrics} guards it.
 */
final class LatencyHistogram {

  private static final int EXACT = 128;
  private static final int SUB_BUCKETS = 64;
  private static final int SUB_BUCKET_BITS = 6;

  // Values below EXACT have a bucket each; above, powers of two 2^7 .. 2^62 have 64 each.
  private final long[] counts = new long[EXACT + (63 - 7) * SUB_BUCKETS];
  private long total;
  private long max;

  /**
   * Counts one latency.
   *
   * @param micros the latency in microseconds; negative values count as 0
   */
  void record(long micros) {
    long value = Math.max(0, micros);
    counts[indexOf(value)]++;
    total++;
    max = Math.max(max, value);
  }

  /**
   * Returns how many latencies were counted.
   *
   * @return the count
   */
  long count() {
    return total;
  }

  /**
   * Returns the largest latency counted, exactly.
   *
   * @return the maximum in microseconds, 0 if none was counted
   */
  long maxMicros() {
    return max;
  }

  /**
   * Returns a percentile: the smallest latency that at least that fraction of counted latencies do
   * not exceed, as the upper edge of its bucket (never above the maximum).
   *
   * @param fraction 0 (exclusive) to 1 (inclusive), e.g. 0.99
   * @return the percentile in microseconds, 0 if none was counted
   */
  long percentileMicros(double fraction) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, upperEdgeOf(i));
      }
    }
    return max;
  }

  static int indexOf(long value) {
    if (value < EXACT) {
      return (int) value;
    }
    int power = 63 - Long.numberOfLeadingZeros(value);
    int shift = power - SUB_BUCKET_BITS;
    int sub = (int) (value >>> shift) - SUB_BUCKETS;
    return EXACT + (power - 7) * SUB_BUCKETS + sub;
  }

  static long upperEdgeOf(int index) {
    if (index < EXACT) {
      return index;
    }
    int power = (index - EXACT) / SUB_BUCKETS + 7;
    int sub = (index - EXACT) % SUB_BUCKETS;
    int shift = power - SUB_BUCKET_BITS;
    return ((long) (SUB_BUCKETS + sub + 1) << shift) - 1;
  }
}
