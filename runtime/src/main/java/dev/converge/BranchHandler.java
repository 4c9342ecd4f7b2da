package dev.converge;

import java.util.function.BiFunction;

/**
 * Receives the outcome of one branch. It is registered directly with
 * {@link java.util.concurrent.CompletionStage#handle}, so observing a pending branch costs the
 * handler and the stage's own dependent, nothing more.
 *
 * @param <T> the branch's value type
 */
abstract class BranchHandler<T> implements BiFunction<T, Throwable, Void> {

  /**
   * Settles the branch.
   *
   * @param value the value, when {@code error} is null
   * @param error the failure, possibly wrapped in {@link java.util.concurrent.CompletionException},
   *     or null
   */
  abstract void settle(T value, Throwable error);

  /**
   * Settles the branch from a stage's completion; called by the stage, not by users.
   *
   * @param value the value, when {@code error} is null
   * @param error the failure, or null
   * @return null
   */
  @Override
  public final Void apply(T value, Throwable error) {
    settle(value, error);
    return null;
  }
}
