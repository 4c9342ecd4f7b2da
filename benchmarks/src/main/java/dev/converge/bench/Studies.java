package dev.converge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs the measurements that are not JMH micro-benchmarks (pipelining efficiency, linger overshoot,
 * processor compile time), prints a table of each and writes all figures as JSON.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.converge.bench.Studies [results.json]}.
 */
public final class Studies {

  private static final int BATCHES = 200;
  private static final int PIPELINE_RUNS = 5;

  private Studies() {}

  /**
   * Runs every study.
   *
   * @param args optionally the path of the JSON file to write
   * @throws Exception if a study fails
   */
  public static void main(String[] args) throws Exception {
    List<String> json = new ArrayList<>();
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try {
      json.add(pipelining(timers));
      json.add(linger(timers));
    } finally {
      timers.shutdownNow();
    }
    json.add(compileTime());
    String document = "{\n" + String.join(",\n", json) + "\n}\n";
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), document);
      System.out.println("wrote " + args[0]);
    }
  }

  private static String pipelining(ScheduledExecutorService timers) {
    System.out.printf(
        Locale.ROOT,
        "%nPipelining: fetch F and processing P per batch, N batches; "
            + "median of %d runs after one warm-up%n",
        PIPELINE_RUNS);
    System.out.println("(prefetch 'control': the same steps pipelined by hand, no iterator)");
    System.out.println(
        "| F = P (ms) | N | prefetch | ideal N·max(F,P) (ms) | wall (ms) | efficiency "
            + "| overhead per batch (µs) | timer lateness (µs) |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
    List<String> rows = new ArrayList<>();
    rows.addAll(pipelining(timers, Duration.ofMillis(2), BATCHES));
    rows.addAll(pipelining(timers, Duration.ofMillis(5), BATCHES / 2));
    return "  \"pipelining\": [\n    " + String.join(",\n    ", rows) + "\n  ]";
  }

  /**
   * One configuration, F = P = {@code step}, for prefetch 0, 1 and 2. The overhead per batch is what
   * the wall time has beyond the best any pipeline can do, one unoverlapped first fetch plus
   * N·max(F, P), divided by N.
   */
  private static List<String> pipelining(
      ScheduledExecutorService timers, Duration step, int batches) {
    PipeliningStudy study = new PipeliningStudy(timers, step, step, batches);
    long lateness = study.timerLatenessNanos(100);
    long best = study.idealNanos() + step.toNanos();
    List<String> rows = new ArrayList<>();
    // prefetch -1 stands for the hand-rolled control pipeline.
    for (int prefetch = -1; prefetch <= 2; prefetch++) {
      long[] walls = new long[PIPELINE_RUNS + 1];
      for (int run = 0; run < walls.length; run++) {
        walls[run] = prefetch < 0 ? study.handRolledWallNanos() : study.wallNanos(prefetch);
      }
      // walls[0] was the warm-up run.
      Arrays.sort(walls, 1, walls.length);
      long wall = walls[1 + PIPELINE_RUNS / 2];
      String label = prefetch < 0 ? "control" : Integer.toString(prefetch);
      double efficiency = (double) study.idealNanos() / wall;
      double overhead = (double) (wall - best) / batches;
      System.out.printf(
          Locale.ROOT,
          "| %d | %d | %s | %.1f | %.1f | %.3f | %.0f | %.0f |%n",
          step.toMillis(),
          batches,
          label,
          study.idealNanos() / 1e6,
          wall / 1e6,
          efficiency,
          overhead / 1e3,
          lateness / 1e3);
      rows.add(
          String.format(
              Locale.ROOT,
              "{\"stepMillis\": %d, \"batches\": %d, \"prefetch\": \"%s\", "
                  + "\"idealMillis\": %.1f, \"wallMillis\": %.2f, \"efficiency\": %.4f, "
                  + "\"overheadPerBatchMicros\": %.1f, \"timerLatenessMicros\": %.1f}",
              step.toMillis(),
              batches,
              label,
              study.idealNanos() / 1e6,
              wall / 1e6,
              efficiency,
              overhead / 1e3,
              lateness / 1e3));
    }
    return rows;
  }

  private static String linger(ScheduledExecutorService timers) throws InterruptedException {
    int warmup = 20;
    int samples = 300;
    long[] sorted = new LingerStudy(timers).overshootNanos(warmup, samples);
    double p50 = LingerStudy.percentile(sorted, 0.50) / 1e3;
    double p99 = LingerStudy.percentile(sorted, 0.99) / 1e3;
    double max = sorted[sorted.length - 1] / 1e3;
    System.out.printf(
        Locale.ROOT,
        "%nLinger: one item every 5 ms, maxWait 20 ms, system scheduler; "
            + "%d batches after %d warm-up batches%n",
        samples,
        warmup);
    System.out.println("| overshoot p50 (µs) | p99 (µs) | max (µs) |");
    System.out.println("|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| %.0f | %.0f | %.0f |%n", p50, p99, max);
    return String.format(
        Locale.ROOT,
        "  \"linger\": {\"maxWaitMillis\": 20, \"trickleMillis\": 5, "
            + "\"batches\": %d, \"p50Micros\": %.1f, \"p99Micros\": %.1f, \"maxMicros\": %.1f}",
        samples,
        p50,
        p99,
        max);
  }

  private static String compileTime() throws IOException {
    Path work = Files.createTempDirectory("converge-compile-study");
    int warmup = 2;
    int repetitions = 5;
    ProcessorCompileStudy.Result result = new ProcessorCompileStudy(work).run(warmup, repetitions);
    System.out.printf(
        Locale.ROOT,
        "%nProcessor compile time: interface of %d annotated methods, "
            + "in-process javac, median of %d after %d warm-up rounds%n",
        ProcessorCompileStudy.METHODS,
        repetitions,
        warmup);
    System.out.println(
        "| with processor (ms) | same code, no processor (ms) | plain interface (ms) "
            + "| processor adds (ms) | Converge adds in all (ms) |");
    System.out.println("|---:|---:|---:|---:|---:|");
    System.out.printf(
        Locale.ROOT,
        "| %.0f | %.0f | %.0f | %.0f | %.0f |%n",
        result.withProcessor() / 1e6,
        result.sameCodeWithoutProcessor() / 1e6,
        result.plainInterface() / 1e6,
        result.processorOnly() / 1e6,
        result.total() / 1e6);
    return String.format(
        Locale.ROOT,
        "  \"compileTime\": {\"methods\": %d, \"withProcessorMillis\": %.1f, "
            + "\"sameCodeWithoutProcessorMillis\": %.1f, \"plainInterfaceMillis\": %.1f, "
            + "\"processorAddsMillis\": %.1f, \"convergeAddsMillis\": %.1f}",
        ProcessorCompileStudy.METHODS,
        result.withProcessor() / 1e6,
        result.sameCodeWithoutProcessor() / 1e6,
        result.plainInterface() / 1e6,
        result.processorOnly() / 1e6,
        result.total() / 1e6);
  }
}
