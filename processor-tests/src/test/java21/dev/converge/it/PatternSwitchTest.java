package dev.converge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * On Java 21+, an exhaustive {@code switch} with record patterns over a generated sealed type:
 * the compiler checks that every variant is handled, with no {@code default}.
 */
class PatternSwitchTest {
  private final Lookups lookups = ConvergeLookups.create();

  @Test
  void switchOverRaceResultIsExhaustive() {
    UserSource winner =
        lookups.user(CompletableFuture.completedFuture("ada"), new CompletableFuture<>()).join();

    String described = switch (winner) {
      case UserSource.Cache(var name) -> "cached " + name;
      case UserSource.Db(var age) -> "stored " + age;
    };

    assertEquals("cached ada", described);
  }

  @Test
  void switchOverGenericRaceResultIsExhaustive() {
    Either<Integer> winner = lookups.either(new CompletableFuture<Integer>(),
        CompletableFuture.completedFuture(2)).join();

    int doubled = switch (winner) {
      case Either.First<Integer>(Integer value) -> value;
      case Either.Second<Integer>(Integer value) -> value * 2;
    };

    assertEquals(4, doubled);
  }
}
