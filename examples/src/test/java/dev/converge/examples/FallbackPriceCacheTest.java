package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FallbackPriceCacheTest {

  private final Catalog catalog = new Catalog(10);

  @Test
  void answersListPricesBeforeAnythingIsLearned() {
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog)) {
      assertEquals(catalog.listPriceCents(3), cache.lookup(Set.of(3L)).centsFor(3));
    }
  }

  @Test
  void answersTheLastPriceLearned() {
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog)) {
      cache.learn(new Prices(Map.of(3L, 1L)));
      cache.learn(new Prices(Map.of(3L, 2L)));

      assertEquals(2L, cache.lookup(Set.of(3L, 4L)).centsFor(3));
      assertEquals(catalog.listPriceCents(4), cache.lookup(Set.of(4L)).centsFor(4));
    }
  }

  @Test
  void answersOnlyOnceTheDeadlineHasPassed() {
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog)) {
      long start = System.nanoTime();

      Prices prices = cache.afterDeadline(Set.of(1L), Duration.ofMillis(30)).join();

      assertTrue(System.nanoTime() - start >= Duration.ofMillis(30).toNanos());
      assertEquals(catalog.listPriceCents(1), prices.centsFor(1));
    }
  }

  @Test
  void cancellingTheAnswerCancelsItsTimer() {
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog)) {
      CompletableFuture<Prices> answer = cache.afterDeadline(Set.of(1L), Duration.ofHours(1));
      assertEquals(1, cache.pendingTimers());

      assertTrue(answer.cancel(true));

      assertEquals(0, cache.pendingTimers());
    }
  }
}
