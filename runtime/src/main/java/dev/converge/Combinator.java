package dev.converge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The machinery {@link RaceCall} and {@link JoinCall} share: the result future itself, the branches
 * that can still be cancelled, and the three ways a branch is started.
 *
 * <p>The combinator <em>is</em> the result future, so deciding it needs no allocation beyond the
 * result. Whoever completes it first, a branch deciding or a caller completing or cancelling it from
 * outside, wins the compare-and-set on {@code decided}; the winner cancels the branches still
 * running and only then completes the future. That makes "exactly once" and "cancel on external
 * completion" one mechanism instead of two.
 *
 * <p>Branches are attached by one thread (the caller of the generated method), in parameter order.
 * Completions arrive on any thread.
 *
 * <h2>Publishing the branches to cancel</h2>
 * <p>Each branch that settles later and may be cancelled is linked, with plain stores, into a list
 * headed by {@code pending}; the list is published once, by the volatile write of
 * {@code published} after the last branch is attached, instead of one volatile write per branch.
 * Cancelling is then a Dekker-style handshake between two threads: the attaching thread writes
 * {@code published} and then reads {@code decided}; the deciding thread sets {@code decided} (CAS)
 * and then reads {@code published}. At least one of them sees the other's write, and that one
 * cancels the list; cancelling twice is harmless. A decision that comes while branches are still
 * being attached (a branch completing on another thread meanwhile) therefore cancels the branches
 * attached before it as soon as the last one is attached, before the generated method returns; a
 * branch attached after the decision is cancelled (or never started) on arrival.
 */
abstract class Combinator<R> extends CompletableFuture<R> {

  private static final VarHandle PUBLISHED;
  private static final VarHandle DECIDED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PUBLISHED = lookup.findVarHandle(Combinator.class, "published", boolean.class);
      DECIDED = lookup.findVarHandle(Combinator.class, "decided", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Runs {@link Callable} branches. */
  final Executor executor;

  /** How many branches the caller will attach. */
  final int branchCount;

  /**
   * Branches attached so far, or {@code branchCount + 1} once attaching has ended; read and
   * written only by the attaching thread.
   */
  private int attached;

  /**
   * True once a branch may settle on another thread (a callback was registered or a callable
   * started). Written by the attaching thread before that registration, so every callback reads
   * true; while it is false, the attaching thread is the only one that touches the branches' state.
   */
  boolean inFlight;

  /**
   * The newest cancellable branch still to settle, linked through {@link BranchHandler#next};
   * written only by the attaching thread, read by others only after {@code published}.
   */
  private BranchHandler<?> pending;

  /** True once every branch is attached and {@code pending} is final; see the class comment. */
  @SuppressWarnings("unused") // accessed through PUBLISHED
  private volatile boolean published;

  /**
   * False until the result is decided; then true forever. Transitions: false → true by exactly one
   * compare-and-set, made by {@link #complete}, {@link #completeExceptionally} or {@link #cancel}
   * (whether a branch or an outside caller calls them). The winner of that CAS cancels the branches
   * and then completes the underlying future; everybody else's completion attempt returns false.
   */
  private volatile boolean decided;

  Combinator(Executor executor, int branchCount) {
    this.executor = Objects.requireNonNull(executor, "executor");
    if (branchCount < 1) {
      throw new IllegalArgumentException("branchCount must be at least 1, was " + branchCount);
    }
    this.branchCount = branchCount;
  }

  /** Returns the index of the next branch, checking that the caller attaches no more than it said. */
  final int nextIndex() {
    int index = attached;
    if (index >= branchCount) {
      throw new IllegalStateException(
          "this call was created for " + branchCount + " branches; attach no more than that");
    }
    attached = index + 1;
    return index;
  }

  /** Claims index 0, checking that no branch has been attached yet. */
  final void firstIndex() {
    if (attached != 0) {
      throw new IllegalStateException("the first branch of this call is already attached");
    }
    attached = 1;
  }

  /**
   * Ends attaching, for a join's {@code combine}: checks in one test (one branch less in the
   * compiled generated method) that every branch is attached and that attaching was not ended
   * before, then refuses any further branch and a second end.
   */
  final void endAttaching() {
    int count = attached;
    if (count != branchCount) {
      throw new IllegalStateException(
          count < branchCount
              ? "combine called before all " + branchCount + " branches were attached"
              : "combine was already called on this join");
    }
    attached = count + 1;
  }

  /**
   * Ends the attaching of branch {@code index}: after the last one, publishes the branches to
   * cancel, and cancels them at once if the result was decided meanwhile.
   */
  final void attachedBranch(int index) {
    // The list first: on the fast paths it stays empty, and one test is one less branch compiled.
    if (pending != null && index == branchCount - 1) {
      PUBLISHED.setVolatile(this, true);
      if (isDecided()) {
        cancelBranches();
      }
    }
  }

  /**
   * Tells whether the result is decided (or was completed behind the engine's back, e.g. by
   * {@code obtrudeValue}); a branch attached now has lost.
   */
  final boolean isDecided() {
    // A volatile field read, not DECIDED.getVolatile: the JIT still eliminates the allocation of a
    // call decided on its caller's thread around the former, not around the VarHandle.
    return decided || isDone();
  }

  /**
   * Completes the result with {@code value} on the attaching thread, for a call that no branch
   * callback and no other thread can reach yet ({@link #inFlight} is false): no atomic
   * instruction, so that the JIT can eliminate the whole call once the generated method is
   * inlined. Nothing is tracked for cancelling at that point. The caller checked
   * {@link #isDecided()}; completing or cancelling a call from another thread before its first
   * branch settles later is outside the contract (see the class comments of {@link RaceCall} and
   * {@link JoinCall}).
   */
  final void completeUnshared(R value) {
    decided = true;
    obtrudeValue(value);
  }

  /**
   * Handles a branch attached after the decision: a stage that is a {@link Future} is cancelled
   * unless kept. Returns true if the branch needs no handler at all.
   */
  final boolean lostOnArrival(Object branch, boolean keep) {
    if (!isDecided()) {
      return false;
    }
    if (branch instanceof CompletionStage<?> && branch instanceof Future<?> future) {
      if (!keep) {
        cancelBranch(future, null);
      }
      return true;
    }
    // A callable or supplier: never started unless kept, since a kept branch's side effects are
    // wanted whatever the outcome of the race.
    return !keep;
  }

  /** Attaches a running stage; {@code handler} receives its outcome on whichever thread completes it. */
  final <T> void attachStage(
      CompletionStage<T> stage, boolean keep, BranchHandler<? super T> handler) {
    Objects.requireNonNull(stage, "stage");
    if (isDecided()) {
      // This branch lost before it was attached.
      if (!keep && stage instanceof Future<?> future) {
        cancelBranch(future, null);
      }
      return;
    }
    CompletableFuture<T> done = alreadyDone(stage);
    if (done != null) {
      // Fast path: settled on the caller's thread, without registering a callback.
      Throwable failure = failureOf(done);
      handler.settle(failure == null ? done.join() : null, failure);
      return;
    }
    if (!keep && stage instanceof Future<?> future) {
      track(handler, future);
    }
    goInFlight();
    // handle, not whenComplete: a whenComplete stage completes with a new CompletionException
    // wrapping the branch's failure, filling in a stack trace for every failed or cancelled
    // branch; the stage handle returns just completes with null.
    stage.handle(handler);
  }

  /** Attaches a callable, run on the executor unless the result is already decided. */
  final <T> void attachCallable(
      Callable<T> callable, boolean keep, BranchHandler<? super T> handler) {
    Objects.requireNonNull(callable, "callable");
    if (isDecided() && !keep) {
      return; // never started: nothing to cancel
    }
    CallableBranch<T> task = new CallableBranch<>(callable, handler);
    if (!keep) {
      track(handler, task);
    }
    goInFlight();
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.fail(e);
    }
  }

  /** Attaches a supplier, called on the caller's thread to start its stage. */
  final <T> void attachSupplier(
      Supplier<? extends CompletionStage<T>> supplier,
      boolean keep,
      BranchHandler<? super T> handler) {
    Objects.requireNonNull(supplier, "supplier");
    if (isDecided() && !keep) {
      return; // never started
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable e) {
      handler.settle(null, e);
      return;
    }
    if (stage == null) {
      handler.settle(
          null,
          new NullPointerException("a Supplier branch returned null instead of a CompletionStage"));
      return;
    }
    if (keep && isDecided()) {
      return; // started for its side effects only; nobody waits for its outcome
    }
    attachStage(stage, keep, handler);
  }

  /**
   * Sets {@link #inFlight} before the attaching thread registers a callback or starts a callable;
   * the first time, tells the subclass how many branches were attached before this one (each of
   * them settled on this thread, or lost because the result was already decided).
   */
  private void goInFlight() {
    if (!inFlight) {
      firstInFlight(attached - 1);
      inFlight = true;
    }
  }

  /**
   * Called on the attaching thread just before the first branch goes in flight.
   *
   * @param attachedBefore how many branches were attached before that one
   */
  void firstInFlight(int attachedBefore) {}

  /**
   * Waits for the result, for the blocking form of generated methods. A failure is thrown as
   * itself when unchecked, or wrapped in a {@link CompletionException} when checked (generated code
   * unwraps the checked exceptions its method declares). Interruption cancels every branch that is
   * not {@link Keep} and rethrows.
   */
  final R awaitResult() throws InterruptedException {
    try {
      return get();
    } catch (InterruptedException e) {
      cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new CompletionException(cause);
    }
  }

  /**
   * Completes this future with {@code value} if it is not yet decided, cancelling every branch
   * still running (except {@link Keep} ones) before dependents run.
   *
   * @param value the result
   * @return true if this call decided the result
   */
  @Override
  public boolean complete(R value) {
    if (!decide()) {
      return false;
    }
    cancelBranches();
    return super.complete(value);
  }

  /**
   * Completes this future exceptionally if it is not yet decided, cancelling every branch still
   * running (except {@link Keep} ones) before dependents run. {@link #orTimeout} lands here.
   *
   * @param error the failure
   * @return true if this call decided the result
   */
  @Override
  public boolean completeExceptionally(Throwable error) {
    Objects.requireNonNull(error, "error");
    if (!decide()) {
      return false;
    }
    cancelBranches();
    return super.completeExceptionally(error);
  }

  /**
   * Cancels this future if it is not yet decided, and with it every branch still running (except
   * {@link Keep} ones), before dependents run.
   *
   * @param mayInterruptIfRunning ignored by the result itself, as by {@link CompletableFuture};
   *     callable branches are always interrupted
   * @return true if this future is now cancelled
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (!decide()) {
      return isCancelled();
    }
    cancelBranches();
    return super.cancel(mayInterruptIfRunning);
  }

  /**
   * Completes the result with {@code value} if it is not yet decided, for a caller that knows every
   * branch has settled: there is nothing left to cancel, so the list of branches is not walked.
   *
   * @return true if this call decided the result
   */
  final boolean completeAllSettled(R value) {
    if (!decide()) {
      return false;
    }
    return super.complete(value);
  }

  private boolean decide() {
    return DECIDED.compareAndSet(this, false, true);
  }

  /** Links a branch into the list of branches to cancel; the attaching thread publishes it later. */
  private void track(BranchHandler<?> handler, Future<?> branch) {
    handler.cancellable = branch;
    handler.next = pending;
    pending = handler;
  }

  /**
   * Cancels every published branch. Plain {@code CompletableFuture} losers share one stackless
   * exception: one per decided call, not one per loser.
   */
  private void cancelBranches() {
    if (!(boolean) PUBLISHED.getVolatile(this)) {
      return; // the attaching thread cancels them once it has attached the last branch
    }
    BranchCancelledException shared = null;
    for (BranchHandler<?> branch = pending; branch != null; branch = branch.next) {
      shared = cancelBranch(branch.cancellable, shared);
    }
  }

  /**
   * Cancels one branch. A plain {@link CompletableFuture} is completed with a
   * {@link BranchCancelledException}, which has no stack trace: observers see exactly what
   * {@code cancel(true)} shows them ({@code isCancelled()} is true, dependents fail with a
   * {@link CancellationException}) without the cost of filling in a stack trace per loser. Any
   * other {@link Future}, including subclasses of {@code CompletableFuture}, gets its own
   * {@code cancel(true)}, so overrides still run.
   *
   * @param cancelled the exception to complete a plain future with, or null to create one
   * @return the exception used, so the caller can reuse it for the next loser (or
   *     {@code cancelled} unchanged if none was needed)
   */
  static BranchCancelledException cancelBranch(
      Future<?> branch, BranchCancelledException cancelled) {
    if (branch.getClass() == CompletableFuture.class) {
      CompletableFuture<?> future = (CompletableFuture<?>) branch;
      if (!future.isDone()) {
        BranchCancelledException exception =
            cancelled != null ? cancelled : new BranchCancelledException();
        future.completeExceptionally(exception);
        return exception;
      }
      return cancelled;
    }
    try {
      if (!branch.isDone()) {
        branch.cancel(true);
      }
    } catch (UnsupportedOperationException e) {
      // CompletableFuture.minimalCompletionStage() is a Future whose isDone and cancel both throw:
      // it cannot be cancelled, so leave it alone and go on cancelling the other branches.
    }
    return cancelled;
  }

  /**
   * Returns {@code stage} if it is a plain {@link CompletableFuture} that is already complete, so the
   * caller can settle it in place; otherwise null. Subclasses are excluded because they may override
   * {@code isDone} or {@code join} (the minimal stage throws from both).
   */
  static <T> CompletableFuture<T> alreadyDone(CompletionStage<T> stage) {
    Objects.requireNonNull(stage, "stage");
    if (stage.getClass() == CompletableFuture.class) {
      CompletableFuture<T> future = (CompletableFuture<T>) stage;
      if (future.isDone()) {
        return future;
      }
    }
    return null;
  }

  /** The failure a completed future holds, unwrapped; null if it completed normally. */
  static Throwable failureOf(CompletableFuture<?> done) {
    if (!done.isCompletedExceptionally()) {
      return null;
    }
    // handle() hands over the stored exception as it is; join() would wrap it in a new
    // CompletionException, filling in a stack trace only to unwrap it again.
    return unwrap(done.handle((value, error) -> error).join());
  }

  /**
   * The branch's own exception, without the {@link CompletionException} layers stages add.
   *
   * <p>Deliberately not {@link dev.converge.internal.Failures#unwrap}, which also looks through
   * {@link ExecutionException}: here every layer that reaches this method is either added by
   * {@code CompletableFuture} (a {@code CompletionException} around a dependent's failure) or is
   * the branch's own failure. {@link CallableBranch} already takes the callable's exception out of
   * {@code FutureTask}'s {@code ExecutionException}, so an {@code ExecutionException} seen here was
   * thrown by the branch itself (a callable that called {@code Future.get()}, say) and is what the
   * race or join reports, as {@code RaceCallFirstCompletedTest} and {@code JoinCallSettleAllTest}
   * pin.
   */
  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
