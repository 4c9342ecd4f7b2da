package dev.converge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

  private static String entry(String method, String score, String error, String extra) {
    return """
        {"jmhVersion" : "1.37", "benchmark" : "dev.converge.bench.RaceBenchmark.%s",
         "mode" : "avgt", "threads" : 1, "forks" : 2, "jvmArgs" : ["-Xms1g"],
         "jdkVersion" : "17.0.15", "vmName" : "OpenJDK 64-Bit Server VM",
         "warmupIterations" : 3, "warmupTime" : "1 s", "measurementIterations" : 5,
         "measurementTime" : "1 s",
         "primaryMetric" : {"score" : %s, "scoreError" : %s, "scoreUnit" : "ns/op",
                            "rawData" : [[1.0E0, -2.5e-1]]}%s}
        """
        .formatted(method, score, error, extra);
  }

  private static final String GC =
      ", \"secondaryMetrics\" : {\"gc.alloc.rate.norm\" : {\"score\" : 16.0001}}";

  private static final String RUN =
      "["
          + entry("completedAnyOf", "4.0", "0.5", GC)
          + ","
          + entry("completedConverge", "8.0", "\"NaN\"", GC)
          + ","
          + entry("completedReactorFirstWithSignal", "240.0", "25.0", "")
          + "]";

  @Test
  void readsScoreErrorUnitAndAllocationOfEachBenchmark() {
    List<ResultsTable.Result> results = ResultsTable.read(RUN);

    assertEquals(3, results.size());
    ResultsTable.Result converge = results.get(1);
    assertEquals("RaceBenchmark", converge.benchmarkClass());
    assertEquals("completedConverge", converge.method());
    assertEquals(8.0, converge.score());
    assertTrue(Double.isNaN(converge.error()));
    assertEquals("ns/op", converge.unit());
    assertEquals(16.0001, converge.bytesPerOp().orElseThrow());
    assertTrue(results.get(2).bytesPerOp().isEmpty());
    assertEquals(2, converge.forks());
  }

  @Test
  void rendersRatiosAgainstTheAnchorAndConvergeAndChecksTheTargets() {
    String markdown = ResultsTable.render(ResultsTable.read(RUN));

    assertTrue(markdown.contains("| `completedAnyOf` | 4.00 ± 0.50 ns/op | 16.0 | anchor |"));
    assertTrue(markdown.contains("| `completedConverge` | 8.00 ± NaN ns/op | 16.0 | 2.00×"));
    assertTrue(markdown.contains("| 240.0 ± 25.0 ns/op |  | 60.0× `completedAnyOf` | 30.0×"));
    assertTrue(markdown.contains("≤ 2× typed `anyOf` | 2.00× (`completedConverge` / "));
    assertTrue(markdown.contains("`completedAnyOf`) |  | **yes** |"), markdown);
    assertTrue(markdown.contains("| 30.0× (`completedReactorFirstWithSignal` / "), markdown);
    assertTrue(markdown.contains("3 benchmarks × 2 forks × (3 × 1 s + 5 × 1 s) = 48 s"));
  }

  @Test
  void parsesEscapesNestingAndLiterals() {
    Object value =
        JmhJson.parse("{\"a\" : [true, false, null, -1.5E2], \"b\" : \"x\\\"\\u00e9\\n\"}");

    Map<?, ?> map = (Map<?, ?>) value;
    assertEquals(java.util.Arrays.asList(true, false, null, -150.0), map.get("a"));
    assertEquals("x\"é\n", map.get("b"));
  }

  @Test
  void rejectsTruncatedJson() {
    assertThrows(IllegalArgumentException.class, () -> JmhJson.parse("[{\"a\" : 1"));
    assertThrows(IllegalArgumentException.class, () -> JmhJson.parse("[1] 2"));
  }
}
