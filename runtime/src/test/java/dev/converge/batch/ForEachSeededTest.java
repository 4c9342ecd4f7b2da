package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * forEach(maxInFlight, handler) over hundreds of seeded random runs on the test thread (see {@link
 * ForEachScenario}); a failing run names its seed, and running that seed again replays it exactly.
 */
class ForEachSeededTest {

  private static final int SEEDS = 600;

  @Test
  void everyRandomRunKeepsTheRules() {
    int[] reachedMax = new int[7];
    for (long seed = 0; seed < SEEDS; seed++) {
      int maxInFlight = 1 + (int) (seed % 6);
      ForEachScenario scenario = new ForEachScenario(seed, maxInFlight);
      scenario.run((iterator, handler) -> iterator.forEach(maxInFlight, handler));
      if (scenario.maxOutstanding() == maxInFlight) {
        reachedMax[maxInFlight]++;
      }
    }
    for (int maxInFlight = 1; maxInFlight <= 6; maxInFlight++) {
      assertTrue(
          reachedMax[maxInFlight] >= 10,
          "maxInFlight " + maxInFlight + " reached in only " + reachedMax[maxInFlight] + " runs");
    }
  }

  @Test
  void maxInFlightOneMatchesTheSequentialLoopEventForEvent() {
    for (long seed = 0; seed < SEEDS; seed++) {
      List<String> expected = new ForEachScenario(seed, 1).run(SequentialForEachOracle::start);
      List<String> actual =
          new ForEachScenario(seed, 1).run((iterator, handler) -> iterator.forEach(1, handler));
      assertEquals(expected, actual, "seed " + seed);
    }
  }
}
