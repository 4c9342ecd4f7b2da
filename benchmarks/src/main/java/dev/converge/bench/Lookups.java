package dev.converge.bench;

import dev.converge.Join;
import dev.converge.Keep;
import dev.converge.Race;
import java.util.concurrent.CompletableFuture;

/**
 * The Converge side of the race and join benchmarks: three lookups of different types, declared the
 * way a user declares them. The processor generates {@code ConvergeLookups}, the sealed {@code
 * Fastest}, {@code FastestKept} and {@code FirstValue} and the records {@code Profile} and
 * {@code NameWithCount}.
 */
public interface Lookups {

  /**
   * The first of the three lookups to complete decides; the other two are cancelled.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return which lookup finished first, with its value
   */
  @Race
  CompletableFuture<Fastest> fastest(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total);

  /**
   * Like {@link #fastest}, but no lookup is ever cancelled: measures the race without the cost of
   * cancelling its losers, to compare with a plain {@code anyOf}.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return which lookup finished first, with its value
   */
  @Race
  CompletableFuture<FastestKept> fastestKeepingAll(
      @Keep CompletableFuture<String> name,
      @Keep CompletableFuture<Integer> count,
      @Keep CompletableFuture<Long> total);

  /**
   * The first of the three lookups to succeed decides; the other two are cancelled.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return which lookup succeeded first, with its value
   */
  @Race(Race.Mode.FIRST_SUCCESS)
  CompletableFuture<FirstValue> firstValue(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total);

  /**
   * All three lookups, failing as soon as one fails.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the three values
   */
  @Join
  CompletableFuture<Profile> profile(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total);

  /**
   * Two of the lookups, failing as soon as one fails: a join small enough for the JIT to inline
   * its generated method into the caller (docs/engine-notes.md).
   *
   * @param name the name lookup
   * @param count the count lookup
   * @return the two values
   */
  @Join
  CompletableFuture<NameWithCount> nameWithCount(
      CompletableFuture<String> name, CompletableFuture<Integer> count);
}
