package dev.converge.bench;

import java.util.concurrent.CompletableFuture;

/**
 * What a careful user writes with {@link CompletableFuture} alone to race or join six lookups of
 * different types and keep the result typed: the six-branch baselines.
 */
public final class HandSix {

  private HandSix() {}

  /**
   * The typed race result written by hand: one record per lookup.
   */
  public sealed interface Fastest {
    /** @param value the name */
    record Name(String value) implements Fastest {}

    /** @param value the count */
    record Count(Integer value) implements Fastest {}

    /** @param value the total */
    record Total(Long value) implements Fastest {}

    /** @param value the ratio */
    record Ratio(Double value) implements Fastest {}

    /** @param value the active flag */
    record Active(Boolean value) implements Fastest {}

    /** @param value the grade */
    record Grade(Character value) implements Fastest {}
  }

  /**
   * The typed join result written by hand.
   *
   * @param name the name
   * @param count the count
   * @param total the total
   * @param ratio the ratio
   * @param active the active flag
   * @param grade the grade
   */
  public record Profile(
      String name, Integer count, Long total, Double ratio, Boolean active, Character grade) {}

  /** Six lookups, the same for every contender. */
  public static final class Inputs {
    /** The name lookup. */
    public final CompletableFuture<String> name;

    /** The count lookup. */
    public final CompletableFuture<Integer> count;

    /** The total lookup. */
    public final CompletableFuture<Long> total;

    /** The ratio lookup. */
    public final CompletableFuture<Double> ratio;

    /** The active lookup. */
    public final CompletableFuture<Boolean> active;

    /** The grade lookup. */
    public final CompletableFuture<Character> grade;

    private Inputs(boolean completed) {
      name = completed ? CompletableFuture.completedFuture("ada") : new CompletableFuture<>();
      count = completed ? CompletableFuture.completedFuture(42) : new CompletableFuture<>();
      total = completed ? CompletableFuture.completedFuture(7L) : new CompletableFuture<>();
      ratio = completed ? CompletableFuture.completedFuture(0.5) : new CompletableFuture<>();
      active = completed ? CompletableFuture.completedFuture(true) : new CompletableFuture<>();
      grade = completed ? CompletableFuture.completedFuture('A') : new CompletableFuture<>();
    }

    /**
     * Six lookups that are already complete.
     *
     * @return the inputs
     */
    public static Inputs completed() {
      return new Inputs(true);
    }

    /**
     * Six lookups that are not complete yet.
     *
     * @return the inputs
     */
    public static Inputs late() {
      return new Inputs(false);
    }

    /** Completes every lookup, in parameter order. */
    public void completeAll() {
      name.complete("ada");
      count.complete(42);
      total.complete(7L);
      ratio.complete(0.5);
      active.complete(true);
      grade.complete('A');
    }
  }

  /**
   * Races six lookups with {@link CompletableFuture#anyOf} and maps the winner back to its record.
   * Losers keep running.
   *
   * @param in the lookups
   * @return the first lookup to complete, as its record
   */
  public static CompletableFuture<Fastest> anyOf(Inputs in) {
    return CompletableFuture.anyOf(in.name, in.count, in.total, in.ratio, in.active, in.grade)
        .thenApply(ignored -> winner(in));
  }

  /**
   * Joins six lookups with {@link CompletableFuture#allOf} and reads each value into a record.
   *
   * @param in the lookups
   * @return the six values
   */
  public static CompletableFuture<Profile> allOf(Inputs in) {
    return CompletableFuture.allOf(in.name, in.count, in.total, in.ratio, in.active, in.grade)
        .thenApply(
            ignored ->
                new Profile(
                    in.name.join(),
                    in.count.join(),
                    in.total.join(),
                    in.ratio.join(),
                    in.active.join(),
                    in.grade.join()));
  }

  /** The first lookup, in parameter order, that completed normally. */
  private static Fastest winner(Inputs in) {
    if (doneNormally(in.name)) {
      return new Fastest.Name(in.name.join());
    }
    if (doneNormally(in.count)) {
      return new Fastest.Count(in.count.join());
    }
    if (doneNormally(in.total)) {
      return new Fastest.Total(in.total.join());
    }
    if (doneNormally(in.ratio)) {
      return new Fastest.Ratio(in.ratio.join());
    }
    if (doneNormally(in.active)) {
      return new Fastest.Active(in.active.join());
    }
    return new Fastest.Grade(in.grade.join());
  }

  private static boolean doneNormally(CompletableFuture<?> future) {
    return future.isDone() && !future.isCompletedExceptionally();
  }
}
