package shop;

import dev.converge.CompletedJoin;
import dev.converge.ConvergeExecutors;
import dev.converge.JoinCall;
import dev.converge.RaceCall;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.annotation.processing.Generated;

/**
 * Implements {@link Outer.Lookups} with the Converge engine: each method attaches its
 * arguments, as branches, to a race or join with the rule its annotation names.
 *
 * <p>An instance holds nothing but the executor that runs {@code Callable} branches; it is
 * immutable and safe for concurrent use.
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public final class ConvergeOuter_Lookups implements Outer.Lookups {
  private final Executor executor;

  private ConvergeOuter_Lookups(Executor executor) {
    this.executor = executor;
  }

  /**
   * Returns an {@link Outer.Lookups} that runs {@code Callable} branches on
   * {@code ConvergeExecutors.defaultExecutor()}: virtual threads where the JDK has them.
   *
   * @return a new instance
   */
  public static Outer.Lookups create() {
    return new ConvergeOuter_Lookups(ConvergeExecutors.defaultExecutor());
  }

  /**
   * Returns an {@link Outer.Lookups} that runs {@code Callable} branches on {@code executor}.
   *
   * @param executor runs {@code Callable} branches
   * @return a new instance
   * @throws NullPointerException if {@code executor} is null
   */
  public static Outer.Lookups create(Executor executor) {
    return new ConvergeOuter_Lookups(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * Races {@code left} and {@code right}, as declared by {@link Outer.Lookups#fastest}
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
  public CompletableFuture<Fastest> fastest(CompletionStage<String> left,
      CompletionStage<Integer> right) {
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(right, "right");
    return RaceCall.<Fastest>firstCompleted(executor, 2)
        .firstStage(left, /* keep= */ false, Fastest.Left::new)
        .stage(right, /* keep= */ false, Fastest.Right::new);
  }

  /**
   * Joins {@code left} and {@code right}, as declared by {@link Outer.Lookups#both}
   * ({@code @Join(FAIL_FAST)}): every branch must succeed; the first failure fails the join at
   * once.
   *
   * <p>Once a branch fails, or the returned future is completed or cancelled from outside,
   * every branch still running is cancelled.
   *
   * <p>Throws {@code NullPointerException} naming the parameter if an argument is null, before
   * any branch starts.
   */
  @Override
  public CompletableFuture<Both> both(CompletionStage<String> left,
      CompletionStage<Integer> right) {
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(right, "right");
    if (CompletedJoin.completedNormally(left) && CompletedJoin.completedNormally(right)) {
      return CompletedJoin.of(() -> new Both(CompletedJoin.valueNow(left),
          CompletedJoin.valueNow(right)));
    }
    JoinCall<Both> call = JoinCall.failFast(executor, 2);
    JoinCall.Slot<String> leftSlot = call.stage(left, /* keep= */ false);
    JoinCall.Slot<Integer> rightSlot = call.stage(right, /* keep= */ false);
    return call.combine(() -> new Both(leftSlot.value(), rightSlot.value()));
  }
}
