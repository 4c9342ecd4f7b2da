package dev.converge.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The batching half of {@link Studies}, on its own: pipelining efficiency (F = P = 2 ms and 5 ms, the
 * hand-rolled control pipeline and prefetch 1) and linger overshoot, without the processor
 * compile-time study, for a quicker run while working on the batch iterator. Its tables are a
 * subset of those {@link Studies} prints: only the control and prefetch 1, and fewer columns.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.converge.bench.BatchingStudies}.
 */
public final class BatchingStudies {

  private static final int RUNS = 5;

  private BatchingStudies() {}

  /**
   * Runs both studies.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try {
      System.out.println(
          "| F = P (ms) | N | prefetch | wall (ms) | efficiency | timer lateness (µs) |");
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      pipelining(timers, Duration.ofMillis(2), 200);
      pipelining(timers, Duration.ofMillis(5), 100);
      long[] sorted = new LingerStudy(timers).overshootNanos(20, 300);
      System.out.printf(
          Locale.ROOT,
          "%nLinger overshoot (maxWait 20 ms, one item every 5 ms, 300 "
              + "batches): p50 %.0f µs, p99 %.0f µs, max %.0f µs%n",
          LingerStudy.percentile(sorted, 0.50) / 1e3,
          LingerStudy.percentile(sorted, 0.99) / 1e3,
          sorted[sorted.length - 1] / 1e3);
    } finally {
      timers.shutdownNow();
    }
  }

  /** The control pipeline (no iterator) and prefetch 1: median wall time of RUNS after a warm-up. */
  private static void pipelining(ScheduledExecutorService timers, Duration step, int batches) {
    PipeliningStudy study = new PipeliningStudy(timers, step, step, batches);
    long lateness = study.timerLatenessNanos(100);
    for (int prefetch = -1; prefetch <= 1; prefetch += 2) {
      long[] walls = new long[RUNS + 1];
      for (int run = 0; run < walls.length; run++) {
        walls[run] = prefetch < 0 ? study.handRolledWallNanos() : study.wallNanos(prefetch);
      }
      Arrays.sort(walls, 1, walls.length); // walls[0] was the warm-up run
      long wall = walls[1 + RUNS / 2];
      System.out.printf(
          Locale.ROOT,
          "| %d | %d | %s | %.1f | %.3f | %.0f |%n",
          step.toMillis(),
          batches,
          prefetch < 0 ? "control" : "1",
          wall / 1e6,
          (double) study.idealNanos() / wall,
          lateness / 1e3);
    }
  }
}
