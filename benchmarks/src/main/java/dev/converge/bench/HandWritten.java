package dev.converge.bench;

import java.util.concurrent.CompletableFuture;

/**
 * What a careful user writes with {@link CompletableFuture} alone to race or join three lookups of
 * different types and keep the result typed: the baselines Converge is measured against.
 */
public final class HandWritten {

  private HandWritten() {}

  /**
   * Races three lookups with {@link CompletableFuture#anyOf} and maps the winner back to its typed
   * record. Losers keep running.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the first lookup to complete, as its record; fails if that lookup failed
   */
  public static CompletableFuture<HandFastest> anyOf(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
    return CompletableFuture.anyOf(name, count, total)
        .thenApply(ignored -> winner(name, count, total));
  }

  /**
   * Like {@link #anyOf}, and then cancels the two losers with {@code cancel(true)}, as Converge does.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the first lookup to complete, as its record; fails if that lookup failed
   */
  public static CompletableFuture<HandFastest> anyOfCancellingLosers(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
    return CompletableFuture.anyOf(name, count, total)
        .thenApply(
            ignored -> {
              HandFastest winner = winner(name, count, total);
              // cancel(true) on the winner (already done) is a no-op.
              name.cancel(true);
              count.cancel(true);
              total.cancel(true);
              return winner;
            });
  }

  /**
   * Joins three lookups with {@link CompletableFuture#allOf} and reads each value into a record.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the three values; fails once all are done if any failed
   */
  public static CompletableFuture<HandProfile> allOf(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
    return CompletableFuture.allOf(name, count, total)
        .thenApply(ignored -> new HandProfile(name.join(), count.join(), total.join()));
  }

  /**
   * Joins two lookups with {@link CompletableFuture#allOf} and reads each value into a record.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @return the two values; fails once both are done if either failed
   */
  public static CompletableFuture<HandNameWithCount> allOf(
      CompletableFuture<String> name, CompletableFuture<Integer> count) {
    return CompletableFuture.allOf(name, count)
        .thenApply(ignored -> new HandNameWithCount(name.join(), count.join()));
  }

  /**
   * Joins three lookups with two {@link CompletableFuture#thenCombine} steps.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the three values; fails if any lookup failed
   */
  public static CompletableFuture<HandProfile> thenCombine(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
    return name.thenCombine(count, NameAndCount::new)
        .thenCombine(total, (first, third) -> new HandProfile(first.name(), first.count(), third));
  }

  /** The first two values of a thenCombine join, carried to the third step. */
  private record NameAndCount(String name, Integer count) {}

  /**
   * The first lookup, in parameter order, that completed normally. Called once anyOf completed
   * normally, so at least one did.
   */
  private static HandFastest winner(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
    if (name.isDone() && !name.isCompletedExceptionally()) {
      return new HandFastest.Name(name.join());
    }
    if (count.isDone() && !count.isCompletedExceptionally()) {
      return new HandFastest.Count(count.join());
    }
    return new HandFastest.Total(total.join());
  }
}
