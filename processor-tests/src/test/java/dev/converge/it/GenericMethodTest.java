package dev.converge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A generic {@code @Race} method and its generic sealed result type. */
class GenericMethodTest {
  private final Lookups lookups = ConvergeLookups.create();

  @Test
  void genericRaceKeepsTheValueType() {
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    CompletableFuture<Either<String>> either = lookups.either(first, second);

    second.complete("two");

    Either<String> winner = either.join();
    assertEquals(new Either.Second<>("two"), winner);
    String value = winner.fold(one -> one, two -> two.toUpperCase(java.util.Locale.ROOT));
    assertEquals("TWO", value);
  }

  @Test
  void eachRecordNarrowsValueToTheTypeVariable() {
    Either.First<Integer> first = new Either.First<>(3);
    int value = first.value();
    assertEquals(3, value);
  }
}
