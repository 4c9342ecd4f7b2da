package dev.converge;

import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * One attached branch that settles later: the callback its stage calls (registered directly with
 * {@link java.util.concurrent.CompletionStage#handle}, so observing a pending branch costs this
 * object and the stage's own dependent, nothing more) and, for a branch the engine may cancel, the
 * entry in the combinator's list of branches to cancel.
 *
 * <p>Package-private and never handed to users: {@link #apply} is public only because
 * {@link BiFunction} requires it, and nothing outside the engine can reach an instance to call it.
 *
 * @param <T> the branch's value type
 */
abstract class BranchHandler<T> implements BiFunction<T, Throwable, Void> {

  /**
   * The future to cancel when the result is decided first; null for a kept branch or a stage that
   * is not a {@link Future}. Written by the attaching thread before the branch is published.
   */
  Future<?> cancellable;

  /** The branch attached before this one that is also cancellable; see {@link Combinator}. */
  BranchHandler<?> next;

  /**
   * Settles the branch.
   *
   * @param value the value, when {@code error} is null
   * @param error the failure, possibly wrapped in {@link java.util.concurrent.CompletionException},
   *     or null
   */
  abstract void settle(T value, Throwable error);

  /**
   * Settles the branch from a stage's completion; called by the stage, never by users.
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
