package dev.converge;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A callable branch of a race or join: a task run on the call's executor, whose cancellation (when
 * the result is decided without it) interrupts the thread running it. It settles its branch with the
 * callable's own value or exception, taken out of {@link FutureTask}'s {@link ExecutionException}.
 */
final class CallableBranch<T> extends FutureTask<T> {
  private final BranchHandler<? super T> handler;

  CallableBranch(Callable<T> callable, BranchHandler<? super T> handler) {
    super(callable);
    this.handler = handler;
  }

  /** Fails the branch without running it, e.g. when the executor rejected it. */
  void fail(Throwable error) {
    setException(error);
  }

  @Override
  protected void done() {
    if (isCancelled()) {
      return; // cancelled because the result was decided; nobody waits for this branch
    }
    T value;
    try {
      value = get();
    } catch (ExecutionException e) {
      handler.settle(null, Combinator.unwrap(e.getCause()));
      return;
    } catch (InterruptedException | CancellationException e) {
      // Unreachable: done() runs after completion and cancellation returned above.
      handler.settle(null, e);
      return;
    }
    handler.settle(value, null);
  }
}
