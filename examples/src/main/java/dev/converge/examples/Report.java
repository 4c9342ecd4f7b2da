package dev.converge.examples;

import java.io.PrintStream;
import java.util.Locale;

/** Formats what the service prints: a progress line about once a second, and the final report. */
final class Report {

  private Report() {}

  /**
   * Formats a progress line.
   *
   * @param elapsedNanos time since the start of the run
   * @param now the counts now
   * @param ordersPerSecond orders committed per second since the previous line
   * @return the line, without a line separator
   */
  static String progressLine(
      long elapsedNanos, ServiceMetrics.Snapshot now, double ordersPerSecond) {
    return String.format(
        Locale.ROOT,
        "%6.1f s  %,9.0f orders/s  %,7d batches  mean batch %6.1f  in flight %,7d",
        elapsedNanos / 1e9,
        ordersPerSecond,
        now.batches(),
        now.meanBatchSize(),
        Math.max(0, now.inFlight()));
  }

  /**
   * Prints the final report.
   *
   * @param out where to print
   * @param received how the source's orders are named: "orders produced" or "orders consumed"
   * @param totals the counts once every order is committed
   * @param elapsedNanos time from the start of the run to the last commit (a Kafka run may idle
   *     after it, once the topic is consumed)
   */
  static void printFinal(
      PrintStream out, String received, ServiceMetrics.Snapshot totals, long elapsedNanos) {
    double seconds = elapsedNanos / 1e9;
    out.println("done");
    line(out, received, String.format(Locale.ROOT, "%,d", totals.received()));
    line(out, "orders committed", String.format(Locale.ROOT, "%,d", totals.committed()));
    line(out, "newly stored", String.format(Locale.ROOT, "%,d", totals.stored()));
    line(
        out,
        "already stored",
        String.format(Locale.ROOT, "%,d", totals.committed() - totals.stored()));
    line(out, "batches", String.format(Locale.ROOT, "%,d", totals.batches()));
    line(out, "mean batch size", String.format(Locale.ROOT, "%.1f", totals.meanBatchSize()));
    line(
        out,
        "throughput",
        String.format(
            Locale.ROOT,
            "%,.0f orders/s over %.1f s to the last commit",
            seconds > 0 ? totals.committed() / seconds : 0,
            seconds));
    line(out, "latency p50", millis(totals.p50Micros()));
    line(out, "latency p99", millis(totals.p99Micros()));
    line(out, "latency max", millis(totals.maxMicros()));
    line(
        out,
        "fallback prices",
        String.format(
            Locale.ROOT,
            "%,d of %,d batches (%,d orders)",
            totals.fallbackBatches(),
            totals.batches(),
            totals.fallbackOrders()));
    line(
        out,
        "outages",
        String.format(
            Locale.ROOT, "%,d (%.1f s in all)", totals.outages(), totals.outageNanos() / 1e9));
    line(out, "retries", String.format(Locale.ROOT, "%,d", totals.retries()));
  }

  private static void line(PrintStream out, String label, String value) {
    out.printf(Locale.ROOT, "  %-18s %s%n", label, value);
  }

  private static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }
}
