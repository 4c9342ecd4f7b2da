package dev.converge.bench;

import dev.converge.Join;
import dev.converge.Race;
import java.util.concurrent.CompletableFuture;

/**
 * The Converge side of the six-branch benchmarks: six lookups of six different types. The processor
 * generates {@code ConvergeSixLookups}, the sealed {@code SixFastest} and the record
 * {@code SixProfile}.
 */
public interface SixLookups {

  /**
   * The first of the six lookups to complete decides; the other five are cancelled.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @param ratio the ratio lookup
   * @param active the active lookup
   * @param grade the grade lookup
   * @return which lookup finished first, with its value
   */
  @Race
  CompletableFuture<SixFastest> fastest(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total,
      CompletableFuture<Double> ratio,
      CompletableFuture<Boolean> active,
      CompletableFuture<Character> grade);

  /**
   * All six lookups, failing as soon as one fails.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @param ratio the ratio lookup
   * @param active the active lookup
   * @param grade the grade lookup
   * @return the six values
   */
  @Join(Join.Mode.FAIL_FAST)
  CompletableFuture<SixProfile> profile(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total,
      CompletableFuture<Double> ratio,
      CompletableFuture<Boolean> active,
      CompletableFuture<Character> grade);
}
