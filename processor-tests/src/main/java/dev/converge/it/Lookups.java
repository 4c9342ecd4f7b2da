package dev.converge.it;

import dev.converge.Join;
import dev.converge.Keep;
import dev.converge.Race;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Every race and join mode, in every return form, as a user would declare them. The processor
 * generates {@code ConvergeLookups} and one result type per method.
 */
public interface Lookups {

  /**
   * Races a cache against a database; the database lookup is never cancelled, so it can refresh
   * the cache even when the cache wins.
   *
   * @param cache the cached name
   * @param db the stored age, kept running
   * @return which branch won
   */
  @Race
  CompletableFuture<UserSource> user(
      CompletionStage<String> cache, @Keep CompletableFuture<Integer> db);

  /**
   * Races two price sources; the first to succeed wins.
   *
   * @param primary starts the primary lookup
   * @param mirror the mirror lookup, run on the executor
   * @return which branch won
   */
  @Race(Race.Mode.FIRST_SUCCESS)
  CompletableFuture<PriceSource> price(
      Supplier<CompletionStage<Long>> primary, Callable<Long> mirror);

  /**
   * Joins a name and its orders; any failure fails the profile.
   *
   * @param name the user's name
   * @param orders loads the orders
   * @return both values
   */
  @Join
  CompletableFuture<Profile> profile(CompletionStage<String> name, Callable<List<String>> orders);

  /**
   * Joins a name and an age, keeping each outcome.
   *
   * @param name the user's name
   * @param age the user's age
   * @return both outcomes
   */
  @Join(Join.Mode.SETTLE_ALL)
  CompletionStage<Settled> settle(CompletionStage<String> name, CompletableFuture<Integer> age);

  /**
   * Blocking race of two callables.
   *
   * @param left one callable
   * @param right the other
   * @return which branch won
   * @throws InterruptedException if interrupted while waiting
   * @throws IOException if the deciding branch failed with it
   */
  @Race
  Fastest fastest(Callable<String> left, Callable<String> right)
      throws InterruptedException, IOException;

  /**
   * Blocking join.
   *
   * @param left a running stage
   * @param right starts the other stage
   * @return both values
   * @throws InterruptedException if interrupted while waiting
   * @throws IOException if a branch failed with it
   */
  @Join
  Both both(CompletionStage<String> left, Supplier<CompletableFuture<Integer>> right)
      throws InterruptedException, IOException;

  /**
   * A generic race.
   *
   * @param first one stage
   * @param second the other
   * @param <T> the value type of both
   * @return which branch won
   */
  @Race
  <T> CompletableFuture<Either<T>> either(CompletionStage<T> first, CompletionStage<T> second);
}
