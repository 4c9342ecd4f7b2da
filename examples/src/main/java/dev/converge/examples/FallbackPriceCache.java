package dev.converge.examples;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The last price seen for every product, starting from the catalog's list prices: the fallback side
 * of the price race.
 *
 * <p>{@link #afterDeadline} does not answer at once, or it would always win the race: it answers
 * once the deadline has passed, from a timer, so the pricing service gets that long to answer
 * first. When the race is decided first, the returned future is cancelled and so is its timer.
 *
 * <p>Thread-safe. Prices learned on one thread are visible to fallbacks answered afterwards on any
 * thread.
 */
final class FallbackPriceCache implements AutoCloseable {

  private final Catalog catalog;
  private final Map<Long, Long> lastSeen = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timer;

  /**
   * Creates the cache.
   *
   * @param catalog the prices it knows before it has learned any
   */
  FallbackPriceCache(Catalog catalog) {
    this.catalog = catalog;
    this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("price-fallback"));
    // A race usually ends before its deadline: cancelled timers must not pile up in the queue.
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Remembers prices the pricing service answered.
   *
   * @param prices fresh prices
   */
  void learn(Prices prices) {
    lastSeen.putAll(prices.centsByProduct());
  }

  /**
   * Returns a future that completes with the cached prices once the deadline has passed.
   *
   * @param productIds the products to price
   * @param deadline how long to give the pricing service first
   * @return the future; cancelling it cancels its timer
   */
  CompletableFuture<Prices> afterDeadline(Set<Long> productIds, Duration deadline) {
    CompletableFuture<Prices> answer = new CompletableFuture<>();
    ScheduledFuture<?> due =
        timer.schedule(
            () -> answer.complete(lookup(productIds)), deadline.toNanos(), TimeUnit.NANOSECONDS);
    answer.whenComplete((value, error) -> due.cancel(false));
    return answer;
  }

  /**
   * Returns the cached prices now.
   *
   * @param productIds products of the catalog
   * @return the last price seen for each, or its list price if none was seen yet
   */
  Prices lookup(Set<Long> productIds) {
    Map<Long, Long> prices = new HashMap<>(productIds.size() * 2);
    for (long id : productIds) {
      Long seen = lastSeen.get(id);
      prices.put(id, seen != null ? seen : catalog.listPriceCents(id));
    }
    return new Prices(prices);
  }

  /**
   * Returns the fallbacks waiting for their deadline.
   *
   * @return timers scheduled and neither fired nor cancelled
   */
  int pendingTimers() {
    return timer.getQueue().size();
  }

  /** Stops the timer; fallbacks not yet due never complete. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
