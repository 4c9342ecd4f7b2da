package dev.converge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One race between branches of possibly different types: the engine behind every generated
 * {@link Race} method, and the future that method returns.
 *
 * <p>Generated code creates a call, attaches each parameter in order with the function that wraps
 * its value in that parameter's variant record, and returns the call (or {@link #await()}s it):
 *
 * <pre>{@code
 * return RaceCall.<UserSource>firstCompleted(executor, 2)
 *     .firstStage(cache, false, UserSource.Cache::new)
 *     .stage(db, false, UserSource.Db::new);
 * }</pre>
 *
 * <p>({@link #firstStage} is {@link #stage} for the first parameter; see there why it exists.)
 *
 * <p>It is public so that generated code in the user's module can call it; it is equally usable by
 * hand.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link Race.Mode#FIRST_COMPLETED}: the first branch to complete decides; a failure completes
 *       this future exceptionally with that branch's exception, unwrapped from
 *       {@link java.util.concurrent.CompletionException}.
 *   <li>{@link Race.Mode#FIRST_SUCCESS}: the first success wins; when every branch has failed this
 *       future fails with an {@link AllFailedException} holding each failure as suppressed, in
 *       attachment (parameter) order.
 *   <li>Exactly once: the winner is the branch whose completion was observed first, even when
 *       branches complete concurrently on many threads.
 *   <li>Cancellation: once this future is completed, by a branch or from outside (for example by
 *       {@link #cancel(boolean)}, {@link #complete(Object)} or {@link #orTimeout}), every branch still
 *       running is cancelled, except those attached with {@code keep}: futures with
 *       {@code cancel(true)} (a plain {@code CompletableFuture} with a stack-trace-free
 *       {@link BranchCancelledException}), callables by interrupting the thread running them. A
 *       branch attached after the race is decided is cancelled at once, and a callable or supplier
 *       attached then is never started (unless kept: a kept branch runs for its side effects).
 *       Losers are cancelled before this future completes, so its dependents never see a loser
 *       still running; only when the race is decided while its branches are still being attached
 *       (a branch completing on another thread meanwhile) are the branches attached before the
 *       decision cancelled by the attaching thread, as soon as it has attached the last one, before
 *       the generated method returns this future. A {@link CompletionStage} that is not a
 *       {@link java.util.concurrent.Future} cannot be cancelled and is left alone.
 * </ul>
 *
 * <h2>Threads</h2>
 * <p>A branch that is already complete when attached is decided on the attaching thread without
 * scheduling anything or allocating beyond the result. Otherwise the race is decided, and dependents
 * of this future run, on the thread that completed the deciding branch. Callables run on the
 * executor given at creation; suppliers are called on the attaching thread.
 *
 * <p>One thread attaches the branches, in parameter order (generated code does, inside the
 * generated method). Until a branch is in flight (a callback registered on a pending stage, or a
 * callable started), the call is decided on that thread without atomic instructions, which lets
 * the JIT eliminate the whole call when the generated method is inlined; so do not hand the call
 * to another thread that might complete or cancel it (or {@code orTimeout} it) before its branches
 * are attached. Generated code never does: the caller only gets the future once it is built.
 *
 * <h2>Memory consistency</h2>
 * <p>Actions of a branch prior to its completion happen-before actions subsequent to the completion
 * of this future by that branch, as for any {@link CompletableFuture}.
 *
 * @param <R> the result type, usually a generated sealed interface
 */
public final class RaceCall<R> extends Combinator<R> {

  private static final VarHandle FAILED_COUNT;

  static {
    try {
      FAILED_COUNT = MethodHandles.lookup().findVarHandle(RaceCall.class, "failedCount", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** FIRST_SUCCESS: all must fail to fail the race; FIRST_COMPLETED: the first failure decides. */
  private final boolean firstSuccess;

  /**
   * FIRST_SUCCESS: failures by branch index, created by the attaching thread on the first failure
   * it settles itself or before it registers the first callback (which publishes it), so a race
   * decided by a completed branch never allocates it.
   */
  private Throwable[] errors;

  /** FIRST_SUCCESS: how many branches have failed so far; the one that makes it all reports. */
  @SuppressWarnings("unused") // accessed through FAILED_COUNT
  private volatile int failedCount;

  private RaceCall(Executor executor, int branchCount, boolean firstSuccess) {
    super(executor, branchCount);
    this.firstSuccess = firstSuccess;
  }

  /**
   * Starts a race of the given mode. Generated code names its mode through the factory method
   * ({@code firstCompleted}, ...); this one is for hand-written code that picks the mode at run
   * time, for example from configuration, which an annotation cannot express.
   *
   * @param mode how the race is decided
   * @param executor runs {@link Callable} branches
   * @param branchCount how many branches will be attached
   * @param <R> the result type
   * @return a new, undecided race
   */
  public static <R> RaceCall<R> of(Race.Mode mode, Executor executor, int branchCount) {
    return new RaceCall<>(executor, branchCount, mode == Race.Mode.FIRST_SUCCESS);
  }

  /**
   * Starts a {@link Race.Mode#FIRST_COMPLETED} race.
   *
   * @param executor runs {@link Callable} branches
   * @param branchCount how many branches will be attached
   * @param <R> the result type
   * @return a new, undecided race
   */
  public static <R> RaceCall<R> firstCompleted(Executor executor, int branchCount) {
    return new RaceCall<>(executor, branchCount, false);
  }

  /**
   * Starts a {@link Race.Mode#FIRST_SUCCESS} race.
   *
   * @param executor runs {@link Callable} branches
   * @param branchCount how many branches will be attached
   * @param <R> the result type
   * @return a new, undecided race
   */
  public static <R> RaceCall<R> firstSuccess(Executor executor, int branchCount) {
    return new RaceCall<>(executor, branchCount, true);
  }

  /**
   * Attaches the first branch, a stage the caller already started: the same as {@link #stage}, for
   * the first parameter only.
   *
   * <p>Generated code attaches a first parameter that is a stage with this method and every other
   * stage with {@link #stage}, so that the JIT profiles the two apart. In a race over inputs that
   * are already complete the first branch always wins and the others always arrive decided; with
   * one method for every position, each inlined copy keeps both paths, and the compiled generated
   * method grows too big for the JIT to inline it into its caller, which then cannot eliminate the
   * race.
   *
   * @param stage the branch; cancelled when it loses if it is a {@link java.util.concurrent.Future}
   *     and {@code keep} is false
   * @param keep true to never cancel this branch ({@link Keep})
   * @param variant wraps the branch's value in its variant of the result
   * @param <T> the branch's value type
   * @return this race, to attach the next branch
   * @throws NullPointerException if {@code stage} is null
   * @throws IllegalStateException if a branch is already attached
   */
  public <T> RaceCall<R> firstStage(
      CompletionStage<T> stage, boolean keep, Function<? super T, ? extends R> variant) {
    firstIndex();
    // Stage's fast path, repeated rather than shared: a shared method would share its profile.
    // Nothing is attached before the first branch, so where it settles here there is no list of
    // branches for attachedBranch to publish.
    if (Objects.requireNonNull(stage, "stage").getClass() == CompletableFuture.class
        && ((CompletableFuture<T>) stage).isDone()) {
      CompletableFuture<T> done = (CompletableFuture<T>) stage;
      if (isDecided()) {
        return this;
      }
      if (!done.isCompletedExceptionally()) {
        wonInline(done.join(), variant);
        return this;
      }
    }
    attach(stage, keep, 0, variant);
    attachedBranch(0);
    return this;
  }

  /**
   * Attaches a stage the caller already started.
   *
   * @param stage the branch; cancelled when it loses if it is a {@link java.util.concurrent.Future}
   *     and {@code keep} is false
   * @param keep true to never cancel this branch ({@link Keep})
   * @param variant wraps the branch's value in its variant of the result
   * @param <T> the branch's value type
   * @return this race, to attach the next branch
   * @throws NullPointerException if {@code stage} is null
   * @throws IllegalStateException if every branch is already attached
   */
  public <T> RaceCall<R> stage(
      CompletionStage<T> stage, boolean keep, Function<? super T, ? extends R> variant) {
    int index = nextIndex();
    if (Objects.requireNonNull(stage, "stage").getClass() == CompletableFuture.class
        && ((CompletableFuture<T>) stage).isDone()) {
      // Fast path for a plain future that is already complete, kept small so that it inlines
      // into the generated method: it decides the race here, on the caller's thread, allocating
      // nothing but the variant; once the race is decided it has nothing to cancel.
      CompletableFuture<T> done = (CompletableFuture<T>) stage;
      if (isDecided()) {
        attachedBranch(index);
        return this;
      }
      if (!done.isCompletedExceptionally()) {
        wonInline(done.join(), variant);
        attachedBranch(index);
        return this;
      }
    }
    attach(stage, keep, index, variant);
    attachedBranch(index);
    return this;
  }

  /** Attaches a stage that is pending, failed or not a plain future; the general path. */
  private <T> void attach(
      CompletionStage<T> stage, boolean keep, int index, Function<? super T, ? extends R> variant) {
    if (!lostOnArrival(stage, keep)) {
      attachStage(stage, keep, branch(index, variant));
    }
  }

  /**
   * Attaches a callable, started on the executor unless the race is already decided.
   *
   * @param callable the branch; its thread is interrupted when it loses, unless {@code keep}
   * @param keep true to never cancel this branch ({@link Keep})
   * @param variant wraps the branch's value in its variant of the result
   * @param <T> the branch's value type
   * @return this race, to attach the next branch
   * @throws NullPointerException if {@code callable} is null
   * @throws IllegalStateException if every branch is already attached
   */
  public <T> RaceCall<R> callable(
      Callable<T> callable, boolean keep, Function<? super T, ? extends R> variant) {
    int index = nextIndex();
    Objects.requireNonNull(callable, "callable");
    if (!lostOnArrival(callable, keep)) {
      attachCallable(callable, keep, branch(index, variant));
    }
    attachedBranch(index);
    return this;
  }

  /**
   * Attaches a supplier of a stage, called on this thread unless the race is already decided. A
   * supplier that throws or returns null is a failed branch.
   *
   * @param supplier starts the branch
   * @param keep true to never cancel this branch ({@link Keep})
   * @param variant wraps the branch's value in its variant of the result
   * @param <T> the branch's value type
   * @return this race, to attach the next branch
   * @throws NullPointerException if {@code supplier} is null
   * @throws IllegalStateException if every branch is already attached
   */
  public <T> RaceCall<R> supplier(
      Supplier<? extends CompletionStage<T>> supplier,
      boolean keep,
      Function<? super T, ? extends R> variant) {
    int index = nextIndex();
    Objects.requireNonNull(supplier, "supplier");
    if (!lostOnArrival(supplier, keep)) {
      attachSupplier(supplier, keep, branch(index, variant));
    }
    attachedBranch(index);
    return this;
  }

  /**
   * Waits for the race to be decided, for the blocking form of generated methods (meant for
   * virtual threads).
   *
   * @return the winning variant
   * @throws InterruptedException if this thread is interrupted while waiting; every branch not
   *     attached with {@code keep} is cancelled first
   * @throws java.util.concurrent.CancellationException if the race was cancelled
   * @throws RuntimeException the deciding failure itself when it is unchecked, or a
   *     {@link java.util.concurrent.CompletionException} wrapping it when it is checked
   */
  public R await() throws InterruptedException {
    return awaitResult();
  }

  private <T> void won(T value, Function<? super T, ? extends R> variant) {
    R result;
    try {
      result = variant.apply(value);
    } catch (Throwable e) {
      // Generated variants are record constructors and never throw; a hand-written one may.
      completeExceptionally(e);
      return;
    }
    complete(result);
  }

  /** Like {@link #won}, for a value settled on the attaching thread. */
  private <T> void wonInline(T value, Function<? super T, ? extends R> variant) {
    if (inFlight) {
      won(value, variant);
      return;
    }
    // The failure is handled after the try block, not inside the handler: the JIT compiles every
    // handler, and a call taking `this` there would keep the race from being eliminated, while an
    // ordinary branch that never ran is compiled to a deoptimization trap.
    R result = null;
    Throwable failure = null;
    try {
      result = variant.apply(value);
    } catch (Throwable e) {
      failure = e;
    }
    if (failure != null) {
      completeExceptionally(failure);
      return;
    }
    completeUnshared(result);
  }

  private void failed(int index, Throwable error) {
    if (!firstSuccess) {
      completeExceptionally(error);
      return;
    }
    Throwable[] errors = this.errors;
    if (errors == null) {
      errors = failures(); // on the attaching thread: a callback's race always has it
    }
    errors[index] = error; // published by the volatile increment below
    if ((int) FAILED_COUNT.getAndAdd(this, 1) + 1 == errors.length && !isDecided()) {
      completeExceptionally(new AllFailedException(errors.clone()));
    }
  }

  /** Returns the FIRST_SUCCESS failures array, creating it; attaching thread only. */
  private Throwable[] failures() {
    if (errors == null) {
      errors = new Throwable[branchCount];
    }
    return errors;
  }

  /** Creates the callback of a branch that settles later, on the attaching thread. */
  private <T> Branch<T, R> branch(int index, Function<? super T, ? extends R> variant) {
    if (firstSuccess) {
      failures();
    }
    return new Branch<>(this, index, variant);
  }

  /** Receives one branch's outcome and maps a value to its variant. */
  private static final class Branch<T, R> extends BranchHandler<T> {
    private final RaceCall<R> race;
    private final int index;
    private final Function<? super T, ? extends R> variant;

    Branch(RaceCall<R> race, int index, Function<? super T, ? extends R> variant) {
      this.race = race;
      this.index = index;
      this.variant = variant;
    }

    @Override
    void settle(T value, Throwable error) {
      if (race.isDecided()) {
        return; // a loser being cancelled: nothing left to decide or count
      }
      if (error != null) {
        race.failed(index, unwrap(error));
      } else {
        race.won(value, variant);
      }
    }
  }
}
