package dev.converge.bench;

import dev.converge.Join;
import dev.converge.Race;
import java.util.concurrent.CompletableFuture;

/**
 * The blocking form (meant for virtual threads) of the three-lookup race and join: the generated
 * methods wait for the result. The processor generates {@code ConvergeBlockingLookups}, the sealed
 * {@code Winner} and the record {@code Joined}.
 */
public interface BlockingLookups {

  /**
   * Waits for the first of the three lookups to complete; the other two are cancelled.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return which lookup finished first, with its value
   * @throws InterruptedException if the waiting thread is interrupted
   */
  @Race
  Winner fastest(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total)
      throws InterruptedException;

  /**
   * Waits for all three lookups, failing as soon as one fails.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the three values
   * @throws InterruptedException if the waiting thread is interrupted
   */
  @Join(Join.Mode.FAIL_FAST)
  Joined profile(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total)
      throws InterruptedException;
}
