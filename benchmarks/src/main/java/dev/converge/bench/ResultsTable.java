package dev.converge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prints the markdown tables of BENCHMARKS.md's current run from one JMH {@code -rf json} file:
 * per benchmark class, each benchmark's score ± error, its {@code gc.alloc.rate.norm} in B/op (when
 * the run used {@code -prof gc}), its ratio to the anchor of its row group and, for Reactor rows,
 * how many times faster Converge was; then the targets with their ratios in this run, and how long
 * the run's iterations took.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.converge.bench.ResultsTable
 * results.json}. Every ratio is taken within the one file, so that load and machine cancel out.
 */
public final class ResultsTable {

  /**
   * A row group: the benchmarks of {@code benchmarkClass} whose method matches {@code methods},
   * compared with {@code anchor}; Reactor rows are also compared with {@code converge}.
   */
  record Group(String benchmarkClass, Pattern methods, String anchor, String converge) {
    Group(String benchmarkClass, String methods, String anchor, String converge) {
      this(benchmarkClass, Pattern.compile(methods), anchor, converge);
    }
  }

  /**
   * A target: {@code numerator}'s score divided by {@code denominator}'s (both in {@code
   * benchmarkClass}) must be at most, or at least, {@code limit}; when {@code maxBytes} is not NaN,
   * the numerator's B/op must also be at most that.
   */
  record Target(
      String text,
      String benchmarkClass,
      String numerator,
      String denominator,
      boolean atLeast,
      double limit,
      double maxBytes) {}

  /** One benchmark of the run, as JMH reported it. */
  record Result(
      String benchmarkClass,
      String method,
      String mode,
      double score,
      double error,
      String unit,
      Optional<Double> bytesPerOp,
      int forks,
      int warmupIterations,
      String warmupTime,
      int measurementIterations,
      String measurementTime,
      String jdkVersion,
      String vmName) {}

  /** The anchors, in one place; the first group whose class and method pattern match wins. */
  static final List<Group> GROUPS =
      List.of(
          new Group("RaceBenchmark", "completed.*", "completedAnyOf", "completedConverge"),
          new Group("RaceBenchmark", "late.*", "lateAnyOf", "lateConverge"),
          new Group("JoinBenchmark", "completed.*Two", "completedAllOfTwo", "completedConvergeTwo"),
          new Group("JoinBenchmark", "completed.*", "completedAllOf", "completedConverge"),
          new Group("JoinBenchmark", "late.*", "lateThenCombine", "lateConverge"),
          new Group(
              "SixBranchBenchmark",
              "completedRace.*",
              "completedRaceAnyOf",
              "completedRaceConverge"),
          new Group(
              "SixBranchBenchmark",
              "completedJoin.*",
              "completedJoinAllOf",
              "completedJoinConverge"),
          new Group("SixBranchBenchmark", "lateRace.*", "lateRaceAnyOf", "lateRaceConverge"),
          new Group("SixBranchBenchmark", "lateJoin.*", "lateJoinAllOf", "lateJoinConverge"),
          new Group("BatchingBenchmark", ".*", "reactorBufferTimeoutFair", "convergeSendJoin"),
          new Group("ManyProducersBenchmark", ".*", "arrayBlockingQueue", "converge"),
          new Group("FromQueueBenchmark", ".*", "byHand", "fromQueue"),
          new Group("KafkaSourceBenchmark", ".*", "handWrittenPollLoop", "kafkaBatchSource"));

  /** The targets that a run's ratios are checked against (linger is a study, not JMH). */
  static final List<Target> TARGETS =
      List.of(
          new Target(
              "batching 1 → 1: send+join ≥ 1.5× Reactor's fair `bufferTimeout`, ≤ 32 B/item",
              "BatchingBenchmark",
              "convergeSendJoin",
              "reactorBufferTimeoutFair",
              true,
              1.5,
              32),
          atLeast(
              "4 producers → 1: ≥ 1.0× `ArrayBlockingQueue` + `drainTo`",
              "ManyProducers",
              "converge",
              "arrayBlockingQueue",
              1.0),
          atMost(
              "race, completed inputs: ≤ 2× typed `anyOf`",
              "Race",
              "completedConverge",
              "completedAnyOf",
              2.0),
          atMost(
              "join, completed inputs: ≤ 2× `allOf`",
              "Join",
              "completedConverge",
              "completedAllOf",
              2.0),
          atLeast(
              "race, completed inputs: ≥ 20× faster than Reactor `firstWithSignal`",
              "Race",
              "completedReactorFirstWithSignal",
              "completedConverge",
              20),
          atLeast(
              "join, completed inputs: ≥ 20× faster than Reactor `zip`",
              "Join",
              "completedReactorZip",
              "completedConverge",
              20),
          atMost(
              "race, late inputs, losers cancelled: ≤ 1.5× plain `anyOf`",
              "Race",
              "lateConverge",
              "lateAnyOf",
              1.5),
          atMost(
              "join, late inputs: ≤ 1.25× `thenCombine` ∘ `thenCombine`",
              "Join",
              "lateConverge",
              "lateThenCombine",
              1.25));

  private ResultsTable() {}

  private static Target atLeast(
      String text, String prefix, String numerator, String denominator, double limit) {
    return new Target(text, prefix + "Benchmark", numerator, denominator, true, limit, Double.NaN);
  }

  private static Target atMost(
      String text, String prefix, String numerator, String denominator, double limit) {
    return new Target(text, prefix + "Benchmark", numerator, denominator, false, limit, Double.NaN);
  }

  /** Reads the JMH JSON file named by the only argument and prints the tables to stdout. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ResultsTable <jmh-result.json>");
      System.exit(2);
    }
    String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    System.out.print(render(read(json)));
  }

  /** The benchmarks of a JMH JSON result, in file order. */
  static List<Result> read(String json) {
    List<Result> results = new ArrayList<>();
    for (Object element : (List<?>) JmhJson.parse(json)) {
      results.add(result((Map<?, ?>) element));
    }
    return results;
  }

  private static Result result(Map<?, ?> entry) {
    String benchmark = (String) entry.get("benchmark");
    int dot = benchmark.lastIndexOf('.');
    String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
    Map<?, ?> primary = (Map<?, ?>) entry.get("primaryMetric");
    Map<?, ?> secondary = (Map<?, ?>) entry.get("secondaryMetrics");
    Optional<Double> bytes = Optional.empty();
    if (secondary != null && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
      bytes = Optional.of(number(norm.get("score")));
    }
    return new Result(
        className,
        benchmark.substring(dot + 1),
        (String) entry.get("mode"),
        number(primary.get("score")),
        number(primary.get("scoreError")),
        (String) primary.get("scoreUnit"),
        bytes,
        (int) number(entry.get("forks")),
        (int) number(entry.get("warmupIterations")),
        (String) entry.get("warmupTime"),
        (int) number(entry.get("measurementIterations")),
        (String) entry.get("measurementTime"),
        (String) entry.get("jdkVersion"),
        (String) entry.get("vmName"));
  }

  // JMH writes NaN (an error of a single iteration) as the string "NaN".
  private static double number(Object value) {
    return value instanceof Double d ? d : Double.parseDouble(String.valueOf(value));
  }

  /** The whole markdown text: one table per benchmark class, the targets, the iteration time. */
  static String render(List<Result> results) {
    Map<String, List<Result>> byClass = new LinkedHashMap<>();
    for (Result result : results) {
      byClass.computeIfAbsent(result.benchmarkClass(), k -> new ArrayList<>()).add(result);
    }
    StringBuilder out = new StringBuilder();
    if (!results.isEmpty()) {
      Result first = results.get(0);
      out.append("JDK ").append(first.jdkVersion()).append(", ").append(first.vmName());
      out.append(".\n\n");
    }
    byClass.forEach((name, rows) -> out.append(classTable(name, rows)).append('\n'));
    out.append(targetTable(results)).append('\n');
    out.append(iterationTime(byClass));
    return out.toString();
  }

  private static String classTable(String className, List<Result> rows) {
    StringBuilder out = new StringBuilder("#### `").append(className).append("`\n\n");
    out.append("| benchmark | score | B/op | vs anchor of its group | Converge faster by |\n");
    out.append("|---|---:|---:|---:|---:|\n");
    for (Result row : rows) {
      out.append("| `").append(row.method()).append("` | ");
      out.append(scale(row.score(), row.score())).append(" ± ");
      out.append(scale(row.error(), row.score()));
      out.append(' ').append(row.unit()).append(" | ");
      out.append(row.bytesPerOp().map(b -> String.format(Locale.ROOT, "%.1f", b)).orElse(""));
      out.append(" | ").append(anchorRatio(row, rows)).append(" | ");
      out.append(convergeRatio(row, rows)).append(" |\n");
    }
    return out.toString();
  }

  private static String anchorRatio(Result row, List<Result> rows) {
    Optional<Group> group = groupOf(row);
    if (group.isEmpty()) {
      return "";
    }
    if (group.get().anchor().equals(row.method())) {
      return "anchor";
    }
    return find(rows, group.get().anchor())
        .map(anchor -> times(row.score() / anchor.score()) + " `" + anchor.method() + "`")
        .orElse("");
  }

  // For a time per operation Converge is faster by Reactor's time / Converge's time; for a
  // throughput by Converge's throughput / Reactor's.
  private static String convergeRatio(Result row, List<Result> rows) {
    Optional<Group> group = groupOf(row);
    if (group.isEmpty() || !row.method().toLowerCase(Locale.ROOT).contains("reactor")) {
      return "";
    }
    return find(rows, group.get().converge())
        .map(converge -> times(fasterBy(converge, row)) + " (`" + converge.method() + "`)")
        .orElse("");
  }

  private static double fasterBy(Result converge, Result other) {
    return isThroughput(converge)
        ? converge.score() / other.score()
        : other.score() / converge.score();
  }

  private static boolean isThroughput(Result result) {
    return "thrpt".equals(result.mode());
  }

  private static String targetTable(List<Result> results) {
    StringBuilder out = new StringBuilder("#### Targets, ratios within this run\n\n");
    out.append("| target | ratio | B/op | met? |\n|---|---:|---:|---|\n");
    for (Target target : TARGETS) {
      Optional<Result> numerator = find(results, target.benchmarkClass(), target.numerator());
      Optional<Result> denominator = find(results, target.benchmarkClass(), target.denominator());
      if (numerator.isEmpty() || denominator.isEmpty()) {
        continue;
      }
      double ratio = numerator.get().score() / denominator.get().score();
      boolean met = target.atLeast() ? ratio >= target.limit() : ratio <= target.limit();
      String bytes = "";
      if (!Double.isNaN(target.maxBytes()) && numerator.get().bytesPerOp().isPresent()) {
        double perOp = numerator.get().bytesPerOp().get();
        bytes = String.format(Locale.ROOT, "%.1f", perOp);
        met &= perOp <= target.maxBytes();
      }
      out.append("| ").append(target.text()).append(" | ").append(times(ratio));
      out.append(" (`").append(target.numerator()).append("` / `");
      out.append(target.denominator()).append("`) | ").append(bytes).append(" | ");
      out.append(met ? "**yes**" : "**no**").append(" |\n");
    }
    return out.toString();
  }

  // What the annotations (or command-line overrides, as JMH records them) cost in iterations alone;
  // each fork adds a JVM start and the benchmark's setup on top.
  private static String iterationTime(Map<String, List<Result>> byClass) {
    StringBuilder out = new StringBuilder("#### Time in iterations\n\n");
    double total = 0;
    for (Map.Entry<String, List<Result>> entry : byClass.entrySet()) {
      Result first = entry.getValue().get(0);
      Optional<Double> warmup = seconds(first.warmupTime());
      Optional<Double> measured = seconds(first.measurementTime());
      if (warmup.isEmpty() || measured.isEmpty()) {
        out.append(
            String.format(Locale.ROOT, "- `%s`: single-shot, not computed%n", entry.getKey()));
        continue;
      }
      int benchmarks = entry.getValue().size();
      double perFork =
          first.warmupIterations() * warmup.get() + first.measurementIterations() * measured.get();
      double seconds = benchmarks * first.forks() * perFork;
      total += seconds;
      out.append(
          String.format(
              Locale.ROOT,
              "- `%s`: %d benchmarks × %d %s × (%d × %s + %d × %s) = %.0f s%n",
              entry.getKey(),
              benchmarks,
              first.forks(),
              first.forks() == 1 ? "fork" : "forks",
              first.warmupIterations(),
              first.warmupTime(),
              first.measurementIterations(),
              first.measurementTime(),
              seconds));
    }
    out.append(String.format(Locale.ROOT, "- in all: %.0f s of iterations%n", total));
    return out.toString();
  }

  private static Optional<Double> seconds(String time) {
    if (time == null || !time.endsWith(" s")) {
      return Optional.empty();
    }
    return Optional.of(Double.parseDouble(time.substring(0, time.length() - 2)));
  }

  private static Optional<Group> groupOf(Result row) {
    return GROUPS.stream()
        .filter(g -> g.benchmarkClass().equals(row.benchmarkClass()))
        .filter(g -> g.methods().matcher(row.method()).matches())
        .findFirst();
  }

  private static Optional<Result> find(List<Result> rows, String method) {
    return rows.stream().filter(r -> r.method().equals(method)).findFirst();
  }

  private static Optional<Result> find(List<Result> rows, String className, String method) {
    return rows.stream()
        .filter(r -> r.benchmarkClass().equals(className) && r.method().equals(method))
        .findFirst();
  }

  private static String times(double ratio) {
    return String.format(Locale.ROOT, ratio >= 10 ? "%.1f×" : "%.2f×", ratio);
  }

  // Three significant figures or so of the score, with M for millions (items per second); its
  // error is written with the same scale and decimals, so that the two line up.
  static String scale(double value, double score) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    double magnitude = Math.abs(score);
    if (magnitude >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", value / 1e6);
    }
    if (magnitude >= 1000) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, magnitude >= 100 ? "%.1f" : "%.2f", value);
  }
}
