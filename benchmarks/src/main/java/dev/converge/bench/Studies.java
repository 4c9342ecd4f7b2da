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

  private static final Duration FETCH = Duration.ofMillis(2);
  private static final Duration PROCESS = Duration.ofMillis(2);
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
    PipeliningStudy study = new PipeliningStudy(timers, FETCH, PROCESS, BATCHES);
    System.out.printf(Locale.ROOT, "%nPipelining: F = %d ms, P = %d ms, N = %d, ideal N*max(F,P) = "
        + "%.1f ms; median of %d runs after one warm-up%n", FETCH.toMillis(), PROCESS.toMillis(),
        BATCHES, study.idealNanos() / 1e6, PIPELINE_RUNS);
    System.out.println("| prefetch | wall (ms) | efficiency |");
    System.out.println("|---:|---:|---:|");
    List<String> rows = new ArrayList<>();
    for (int prefetch = 0; prefetch <= 2; prefetch++) {
      study.wallNanos(prefetch);
      long[] walls = new long[PIPELINE_RUNS];
      for (int run = 0; run < PIPELINE_RUNS; run++) {
        walls[run] = study.wallNanos(prefetch);
      }
      Arrays.sort(walls);
      long wall = walls[PIPELINE_RUNS / 2];
      double efficiency = (double) study.idealNanos() / wall;
      System.out.printf(Locale.ROOT, "| %d | %.1f | %.3f |%n", prefetch, wall / 1e6, efficiency);
      rows.add(String.format(Locale.ROOT,
          "{\"prefetch\": %d, \"wallMillis\": %.2f, \"efficiency\": %.4f}",
          prefetch, wall / 1e6, efficiency));
    }
    long overshoot = study.timerOvershootNanos(200);
    System.out.printf(Locale.ROOT, "timer lateness: a %d ms scheduled completion arrives %.0f µs "
        + "late on average%n", FETCH.toMillis(), overshoot / 1e3);
    return String.format(Locale.ROOT, "  \"pipelining\": {\"fetchMillis\": %d, \"processMillis\": %d, "
        + "\"batches\": %d, \"idealMillis\": %.1f, \"timerLatenessMicros\": %.1f, \"runs\": [%s]}",
        FETCH.toMillis(), PROCESS.toMillis(), BATCHES, study.idealNanos() / 1e6, overshoot / 1e3,
        String.join(", ", rows));
  }

  private static String linger(ScheduledExecutorService timers) throws InterruptedException {
    int warmup = 20;
    int samples = 300;
    long[] sorted = new LingerStudy(timers).overshootNanos(warmup, samples);
    double p50 = LingerStudy.percentile(sorted, 0.50) / 1e3;
    double p99 = LingerStudy.percentile(sorted, 0.99) / 1e3;
    double max = sorted[sorted.length - 1] / 1e3;
    System.out.printf(Locale.ROOT, "%nLinger: one item every 5 ms, maxWait 20 ms, system scheduler; "
        + "%d batches after %d warm-up batches%n", samples, warmup);
    System.out.println("| overshoot p50 (µs) | p99 (µs) | max (µs) |");
    System.out.println("|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| %.0f | %.0f | %.0f |%n", p50, p99, max);
    return String.format(Locale.ROOT, "  \"linger\": {\"maxWaitMillis\": 20, \"trickleMillis\": 5, "
        + "\"batches\": %d, \"p50Micros\": %.1f, \"p99Micros\": %.1f, \"maxMicros\": %.1f}",
        samples, p50, p99, max);
  }

  private static String compileTime() throws IOException {
    Path work = Files.createTempDirectory("converge-compile-study");
    int warmup = 2;
    int repetitions = 5;
    ProcessorCompileStudy.Result result = new ProcessorCompileStudy(work).run(warmup, repetitions);
    System.out.printf(Locale.ROOT, "%nProcessor compile time: interface of %d annotated methods, "
        + "in-process javac, median of %d after %d warm-up rounds%n",
        ProcessorCompileStudy.METHODS, repetitions, warmup);
    System.out.println("| with processor (ms) | same code, no processor (ms) | plain interface (ms) "
        + "| processor adds (ms) | Converge adds in all (ms) |");
    System.out.println("|---:|---:|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f | %.0f |%n",
        result.withProcessor() / 1e6, result.sameCodeWithoutProcessor() / 1e6,
        result.plainInterface() / 1e6, result.processorOnly() / 1e6, result.total() / 1e6);
    return String.format(Locale.ROOT, "  \"compileTime\": {\"methods\": %d, \"withProcessorMillis\": %.1f, "
        + "\"sameCodeWithoutProcessorMillis\": %.1f, \"plainInterfaceMillis\": %.1f, "
        + "\"processorAddsMillis\": %.1f, \"convergeAddsMillis\": %.1f}",
        ProcessorCompileStudy.METHODS, result.withProcessor() / 1e6,
        result.sameCodeWithoutProcessor() / 1e6, result.plainInterface() / 1e6,
        result.processorOnly() / 1e6, result.total() / 1e6);
  }
}
