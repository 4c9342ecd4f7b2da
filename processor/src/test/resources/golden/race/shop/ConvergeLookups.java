package shop;

import dev.converge.ConvergeExecutors;
import dev.converge.RaceCall;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.annotation.processing.Generated;

/**
 * Implements {@link Lookups} with the Converge engine: each method attaches its arguments,
 * as branches, to a race or join with the rule its annotation names.
 *
 * <p>An instance holds nothing but the executor that runs {@code Callable} branches; it is
 * immutable and safe for concurrent use.
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public final class ConvergeLookups implements Lookups {
  private final Executor executor;

  private ConvergeLookups(Executor executor) {
    this.executor = executor;
  }

  /**
   * Returns a {@link Lookups} that runs {@code Callable} branches on
   * {@code ConvergeExecutors.defaultExecutor()}: virtual threads where the JDK has them.
   *
   * @return a new instance
   */
  public static Lookups create() {
    return new ConvergeLookups(ConvergeExecutors.defaultExecutor());
  }

  /**
   * Returns a {@link Lookups} that runs {@code Callable} branches on {@code executor}.
   *
   * @param executor runs {@code Callable} branches
   * @return a new instance
   * @throws NullPointerException if {@code executor} is null
   */
  public static Lookups create(Executor executor) {
    return new ConvergeLookups(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * Races {@code cache} and {@code db}, as declared by {@link Lookups#user}
   * ({@code @Race(FIRST_COMPLETED)}): the first branch to complete decides, with its value or
   * its failure.
   *
   * <p>Once the race is decided, or the returned future is completed or cancelled from
   * outside, every branch still running is cancelled. {@code db}, marked {@code @Keep}, is
   * never cancelled.
   *
   * <p>Throws {@code NullPointerException} naming the parameter if an argument is null, before
   * any branch starts.
   */
  @Override
  public CompletableFuture<UserSource> user(CompletionStage<CachedUser> cache,
      CompletionStage<DbUser> db) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(db, "db");
    return RaceCall.<UserSource>firstCompleted(executor, 2)
        .firstStage(cache, /* keep= */ false, UserSource.Cache::new)
        .stage(db, /* keep= */ true, UserSource.Db::new);
  }

  /**
   * Races {@code primary} and {@code mirror}, as declared by {@link Lookups#price}
   * ({@code @Race(FIRST_SUCCESS)}): the first branch to succeed wins; only when every branch
   * has failed does the race fail, with an {@code AllFailedException} holding each failure.
   *
   * <p>Once the race is decided, every branch still running is cancelled; if the calling
   * thread is interrupted while waiting, every branch still running is cancelled and
   * {@code InterruptedException} is thrown.
   *
   * <p>Throws {@code NullPointerException} naming the parameter if an argument is null, before
   * any branch starts.
   */
  @Override
  public PriceSource price(Supplier<CompletionStage<Price>> primary, Callable<Price> mirror)
      throws InterruptedException, IOException {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(mirror, "mirror");
    try {
      return RaceCall.<PriceSource>firstSuccess(executor, 2)
          .supplier(primary, /* keep= */ false, PriceSource.Primary::new)
          .callable(mirror, /* keep= */ false, PriceSource.Mirror::new)
          .await();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
