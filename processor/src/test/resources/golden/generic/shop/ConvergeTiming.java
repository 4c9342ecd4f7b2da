package shop;

import dev.converge.ConvergeExecutors;
import dev.converge.RaceCall;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.annotation.processing.Generated;

/**
 * Implements {@link Timing} with the Converge engine: each method attaches its arguments, as
 * branches, to a race or join with the rule its annotation names.
 *
 * <p>An instance holds nothing but the executor that runs {@code Callable} branches; it is
 * immutable and safe for concurrent use.
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public final class ConvergeTiming implements Timing {
  private final Executor executor;

  private ConvergeTiming(Executor executor) {
    this.executor = executor;
  }

  /**
   * Returns a {@link Timing} that runs {@code Callable} branches on
   * {@code ConvergeExecutors.defaultExecutor()}: virtual threads where the JDK has them.
   *
   * @return a new instance
   */
  public static Timing create() {
    return new ConvergeTiming(ConvergeExecutors.defaultExecutor());
  }

  /**
   * Returns a {@link Timing} that runs {@code Callable} branches on {@code executor}.
   *
   * @param executor runs {@code Callable} branches
   * @return a new instance
   * @throws NullPointerException if {@code executor} is null
   */
  public static Timing create(Executor executor) {
    return new ConvergeTiming(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * Races {@code fast} and {@code slow}, as declared by {@link Timing#timed}
   * ({@code @Race(FIRST_COMPLETED)}): the first branch to complete decides, with its value or
   * its failure.
   *
   * <p>Once the race is decided, or the returned future is completed or cancelled from
   * outside, every branch still running is cancelled.
   *
   * <p>Throws {@code NullPointerException} naming the parameter if an argument is null, before
   * any branch starts.
   */
  @Override
  public <T extends Comparable<T>> CompletableFuture<Timed<T>> timed(CompletionStage<T> fast,
      Callable<T> slow) {
    Objects.requireNonNull(fast, "fast");
    Objects.requireNonNull(slow, "slow");
    return RaceCall.<Timed<T>>firstCompleted(executor, 2)
        .firstStage(fast, /* keep= */ false, Timed.Fast::new)
        .callable(slow, /* keep= */ false, Timed.Slow::new);
  }
}
