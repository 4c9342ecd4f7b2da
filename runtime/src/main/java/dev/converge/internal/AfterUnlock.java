package dev.converge.internal;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * Completions decided while a lock is held, carried out once it is released.
 *
 * <p>Completing a future runs its dependents on the completing thread. Doing that under a lock would
 * run user code under it, and user code may call back into the object that holds the lock. So a
 * transition records what it decided here, releases the lock, and then calls {@link #run()}.
 *
 * <p>An instance allocates nothing until the first action is recorded, so a transition that completes
 * nothing costs nothing. Not thread-safe: one instance belongs to one transition on one thread.
 *
 * <p>Internal to Converge: exported only to Converge's own modules, and not part of its API.
 */
public final class AfterUnlock {
  private ArrayList<Runnable> actions;

  /** Creates an empty set of actions. */
  public AfterUnlock() {}

  /**
   * Records an action to run after the lock is released.
   *
   * @param action run by {@link #run()}, in the order recorded
   */
  public void add(Runnable action) {
    if (actions == null) {
      actions = new ArrayList<>(2);
    }
    actions.add(action);
  }

  /**
   * Records that {@code future} completes with {@code value}.
   *
   * @param future the future to complete
   * @param value its value
   * @param <V> the value's type
   */
  public <V> void complete(CompletableFuture<? super V> future, V value) {
    add(() -> future.complete(value));
  }

  /**
   * Records that {@code future} fails with {@code error}.
   *
   * @param future the future to fail
   * @param error its failure
   */
  public void fail(CompletableFuture<?> future, Throwable error) {
    add(() -> future.completeExceptionally(error));
  }

  /**
   * Whether nothing was recorded.
   *
   * @return true if {@link #run()} would do nothing
   */
  public boolean isEmpty() {
    return actions == null || actions.isEmpty();
  }

  /**
   * Runs every recorded action in the order recorded, then forgets them. One action that throws does
   * not stop the others: every action runs, and the first exception is rethrown afterwards with the
   * later ones suppressed, so that no future is left incomplete because another's dependent failed.
   *
   * <p>Call it with no lock held.
   */
  public void run() {
    ArrayList<Runnable> todo = actions;
    if (todo == null) {
      return;
    }
    actions = null;
    RuntimeException first = null;
    for (Runnable action : todo) {
      try {
        action.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
