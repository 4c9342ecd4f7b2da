package dev.converge;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A join whose branches had all completed normally before it was called: the result is built on
 * the caller's thread, with no {@link JoinCall}, no slots and no callbacks. Generated code for a
 * join whose parameters are all stages tests every argument with {@link #completedNormally} first
 * and, only if all pass, reads them with {@link #valueNow} (or {@link #outcomeNow}) into {@link
 * #of}; otherwise it attaches them to a {@code JoinCall}, which gives the same result for such
 * inputs.
 *
 * <p>Why a path of its own: when every call takes it, the JIT compiles the generated method with
 * the engine's path reduced to one deoptimization point, small enough to be inlined into its caller
 * at the default flags, where a three-branch join through the engine is not (see
 * docs/engine-notes.md, "Inlining the generated method").
 */
public final class CompletedJoin {

  private CompletedJoin() {}

  /**
   * Whether {@code stage} is a plain {@link CompletableFuture} (not a subclass, whose methods may
   * be overridden) that has completed normally. A stage for which this returns false is attached
   * to a {@link JoinCall} instead.
   *
   * @param stage a branch of the join, not null
   * @return true if {@link #valueNow} may read it
   */
  public static boolean completedNormally(CompletionStage<?> stage) {
    return stage.getClass() == CompletableFuture.class
        && ((CompletableFuture<?>) stage).isDone()
        && !((CompletableFuture<?>) stage).isCompletedExceptionally();
  }

  /**
   * The value of a stage for which {@link #completedNormally} returned true.
   *
   * @param stage a plain {@code CompletableFuture} that completed normally
   * @param <T> the value type
   * @return its value
   */
  public static <T> T valueNow(CompletionStage<T> stage) {
    return ((CompletableFuture<T>) stage).join();
  }

  /**
   * The value of a stage for which {@link #completedNormally} returned true, as the {@link
   * Outcome} a {@link Join.Mode#SETTLE_ALL} join hands to its combiner.
   *
   * @param stage a plain {@code CompletableFuture} that completed normally
   * @param <T> the value type
   * @return a success holding its value
   */
  public static <T> Outcome<T> outcomeNow(CompletionStage<T> stage) {
    return new Outcome.Success<>(valueNow(stage));
  }

  /**
   * The join's result: a future completed with what {@code combiner} returns, or, as with {@link
   * JoinCall#combine}, with what it throws.
   *
   * @param combiner builds the result from the branches' values
   * @param <R> the result type
   * @return a completed future
   */
  public static <R> CompletableFuture<R> of(Supplier<? extends R> combiner) {
    // The failure is handled after the try block, not in the handler, as in JoinCall#combine: the
    // JIT compiles every handler it has seen taken.
    R result = null;
    Throwable failure = null;
    try {
      result = combiner.get();
    } catch (Throwable e) {
      failure = e;
    }
    return failure == null
        ? CompletableFuture.completedFuture(result)
        : CompletableFuture.failedFuture(failure);
  }
}
