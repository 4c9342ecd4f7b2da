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
 *     .stage(cache, false, UserSource.Cache::new)
 *     .stage(db, false, UserSource.Db::new);
 * }</pre>
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
 * <h2>Memory consistency</h2>
 * <p>Actions of a branch prior to its completion happen-before actions subsequent to the completion
 * of this future by that branch, as for any {@link CompletableFuture}.
 *
 * @param <R> the result type, usually a generated sealed interface
 */
public final class RaceCall<R> extends Combinator<R> {

  private static final VarHandle FAILURES;

  static {
    try {
      FAILURES = MethodHandles.lookup().findVarHandle(RaceCall.class, "failures", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Failures by branch index; null for FIRST_COMPLETED, where the first failure decides. */
  private final Throwable[] errors;

  /** FIRST_SUCCESS: branches failed so far; the one that brings it to branchCount reports. */
  @SuppressWarnings("unused") // accessed through FAILURES
  private volatile int failures;

  private RaceCall(Executor executor, int branchCount, boolean firstSuccess) {
    super(executor, branchCount);
    this.errors = firstSuccess ? new Throwable[branchCount] : null;
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
  public <T> RaceCall<R> stage(CompletionStage<T> stage, boolean keep,
      Function<? super T, ? extends R> variant) {
    int index = nextIndex();
    CompletableFuture<T> done = alreadyDone(stage);
    if (done != null && !done.isCompletedExceptionally() && !isDecided()) {
      // Fast path: decided here, on the caller's thread, allocating nothing but the variant.
      won(done.join(), variant);
    } else if (!lostOnArrival(stage, keep)) {
      attachStage(stage, keep, new Branch<>(this, index, variant));
    }
    attachedBranch(index);
    return this;
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
  public <T> RaceCall<R> callable(Callable<T> callable, boolean keep,
      Function<? super T, ? extends R> variant) {
    int index = nextIndex();
    Objects.requireNonNull(callable, "callable");
    if (!lostOnArrival(callable, keep)) {
      attachCallable(callable, keep, new Branch<>(this, index, variant));
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
  public <T> RaceCall<R> supplier(Supplier<? extends CompletionStage<T>> supplier, boolean keep,
      Function<? super T, ? extends R> variant) {
    int index = nextIndex();
    Objects.requireNonNull(supplier, "supplier");
    if (!lostOnArrival(supplier, keep)) {
      attachSupplier(supplier, keep, new Branch<>(this, index, variant));
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

  private void failed(int index, Throwable error) {
    if (errors == null) {
      completeExceptionally(error);
      return;
    }
    errors[index] = error; // published by the volatile increment below
    if ((int) FAILURES.getAndAdd(this, 1) + 1 == errors.length && !isDecided()) {
      completeExceptionally(new AllFailedException(errors.clone()));
    }
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
