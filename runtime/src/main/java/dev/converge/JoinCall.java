package dev.converge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One join of branches of possibly different types: the engine behind every generated {@link Join}
 * method, and the future that method returns.
 *
 * <p>Generated code creates a call, attaches each parameter in order, receiving a typed
 * {@link Slot} for each, and finally names how to build the result from the slots:
 *
 * <pre>{@code
 * JoinCall<Enriched> call = JoinCall.failFast(executor, 2);
 * JoinCall.Slot<User> user = call.stage(userStage, false);
 * JoinCall.Slot<List<Order>> orders = call.callable(ordersCallable, false);
 * return call.combine(() -> new Enriched(user.value(), orders.value()));
 * }</pre>
 *
 * <p>It is public so that generated code in the user's module can call it; it is equally usable by
 * hand.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link Join.Mode#FAIL_FAST}: every branch must succeed; the first failure completes this
 *       future at once with that branch's exception, unwrapped from
 *       {@link java.util.concurrent.CompletionException}, and cancels the other branches.
 *   <li>{@link Join.Mode#SETTLE_ALL}: waits for every branch and never fails because of one; read
 *       each branch with {@link Slot#outcome()}.
 *   <li>Cancellation: once this future is completed, by a failing branch or from outside (for
 *       example by {@link #cancel(boolean)} or {@link #orTimeout}), every branch still running is
 *       cancelled, except those attached with {@code keep}; see {@link RaceCall} for how each kind
 *       of branch is cancelled.
 *   <li>The combiner runs exactly once, after every branch has settled and {@link #combine} was
 *       called; if it throws, this future fails with that exception.
 * </ul>
 *
 * <h2>Threads</h2>
 * <p>When every branch is already complete, the result is built on the calling thread inside
 * {@link #combine}. Otherwise it is built, and dependents of this future run, on the thread that
 * completed the last branch. Callables run on the executor given at creation; suppliers are called
 * on the attaching thread.
 *
 * <p>One thread attaches the branches, in parameter order (generated code does, inside the
 * generated method). Until a branch is in flight (a callback registered on a pending stage, or a
 * callable started), the call is decided on that thread without atomic instructions, which lets
 * the JIT eliminate the whole call when the generated method is inlined; so do not hand the call
 * to another thread that might complete or cancel it (or {@code orTimeout} it) before its branches
 * are attached. Generated code never does: the caller only gets the future once it is built.
 *
 * <h2>Memory consistency</h2>
 * <p>Actions of every branch prior to its completion happen-before the combiner runs.
 *
 * @param <R> the result type, usually a generated record
 */
public final class JoinCall<R> extends Combinator<R> {

  private static final VarHandle PENDING;

  static {
    try {
      PENDING = MethodHandles.lookup().findVarHandle(JoinCall.class, "pending", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final boolean settleAll;

  /**
   * Branches not yet settled, plus one for {@link #combine} not yet called. Whoever brings it to
   * zero builds the result: the combiner and every slot are visible to it through this counter.
   * Branches settled on the attaching thread before any is in flight are not counted one by one
   * (that would cost the fast path a store and a test per branch): they are subtracted at once
   * when the first branch goes in flight ({@link #firstInFlight}), and if none ever does,
   * {@link #combine} builds the result without counting.
   */
  private volatile int pending;

  /**
   * Written by the attaching thread before its decrement of {@code pending}, when a branch is in
   * flight; a join whose branches all settled on the attaching thread never needs it.
   */
  private Supplier<? extends R> combiner;

  private JoinCall(Executor executor, int branchCount, boolean settleAll) {
    super(executor, branchCount);
    this.settleAll = settleAll;
    this.pending = branchCount + 1;
  }

  /**
   * Starts a join of the given mode. Generated code names its mode through the factory method
   * ({@code failFast}, ...); this one is for hand-written code that picks the mode at run
   * time, for example from configuration, which an annotation cannot express.
   *
   * @param mode how failures are handled
   * @param executor runs {@link Callable} branches
   * @param branchCount how many branches will be attached
   * @param <R> the result type
   * @return a new, incomplete join
   */
  public static <R> JoinCall<R> of(Join.Mode mode, Executor executor, int branchCount) {
    return new JoinCall<>(executor, branchCount, mode == Join.Mode.SETTLE_ALL);
  }

  /**
   * Starts a {@link Join.Mode#FAIL_FAST} join.
   *
   * @param executor runs {@link Callable} branches
   * @param branchCount how many branches will be attached
   * @param <R> the result type
   * @return a new, incomplete join
   */
  public static <R> JoinCall<R> failFast(Executor executor, int branchCount) {
    return new JoinCall<>(executor, branchCount, false);
  }

  /**
   * Starts a {@link Join.Mode#SETTLE_ALL} join.
   *
   * @param executor runs {@link Callable} branches
   * @param branchCount how many branches will be attached
   * @param <R> the result type
   * @return a new, incomplete join
   */
  public static <R> JoinCall<R> settleAll(Executor executor, int branchCount) {
    return new JoinCall<>(executor, branchCount, true);
  }

  /**
   * Attaches a stage the caller already started.
   *
   * @param stage the branch; cancelled when the join fails if it is a
   *     {@link java.util.concurrent.Future} and {@code keep} is false
   * @param keep true to never cancel this branch ({@link Keep})
   * @param <T> the branch's value type
   * @return the slot that will hold the branch's outcome
   * @throws NullPointerException if {@code stage} is null
   * @throws IllegalStateException if every branch is already attached
   */
  public <T> Slot<T> stage(CompletionStage<T> stage, boolean keep) {
    int index = nextIndex();
    if (Objects.requireNonNull(stage, "stage").getClass() == CompletableFuture.class
        && !inFlight
        && ((CompletableFuture<T>) stage).isDone()
        && !((CompletableFuture<T>) stage).isCompletedExceptionally()) {
      // Fast path, kept small so that it inlines into the generated method: while no branch is in
      // flight, a plain future that completed normally fills its slot here, on the caller's
      // thread, without a callback and without counting (see pending). The slot is created
      // holding the value, read before the slot is allocated, so that the JIT needs no write
      // barrier for it.
      T value = ((CompletableFuture<T>) stage).join();
      // No attachedBranch: with nothing in flight, no branch is in the list to publish.
      return new Slot<>(null, value);
    }
    Slot<T> slot = new Slot<>(this, null);
    attach(stage, keep, slot);
    attachedBranch(index);
    return slot;
  }

  /** Attaches a stage that is pending, failed or not a plain future; the general path. */
  private <T> void attach(CompletionStage<T> stage, boolean keep, Slot<T> slot) {
    CompletableFuture<T> done = alreadyDone(stage);
    if (done != null && !isDecided()) {
      // Failed, or completed after a branch went in flight: settled here all the same.
      Throwable failure = failureOf(done);
      settle(slot, failure == null ? done.join() : null, failure);
    } else {
      attachStage(stage, keep, new Branch<>(slot));
    }
  }

  /**
   * Attaches a callable, started on the executor unless the join has already failed.
   *
   * @param callable the branch; its thread is interrupted when the join fails, unless {@code keep}
   * @param keep true to never cancel this branch ({@link Keep})
   * @param <T> the branch's value type
   * @return the slot that will hold the branch's outcome
   * @throws NullPointerException if {@code callable} is null
   * @throws IllegalStateException if every branch is already attached
   */
  public <T> Slot<T> callable(Callable<T> callable, boolean keep) {
    int index = nextIndex();
    Slot<T> slot = new Slot<>(this, null);
    attachCallable(callable, keep, new Branch<>(slot));
    attachedBranch(index);
    return slot;
  }

  /**
   * Attaches a supplier of a stage, called on this thread unless the join has already failed. A
   * supplier that throws or returns null is a failed branch.
   *
   * @param supplier starts the branch
   * @param keep true to never cancel this branch ({@link Keep})
   * @param <T> the branch's value type
   * @return the slot that will hold the branch's outcome
   * @throws NullPointerException if {@code supplier} is null
   * @throws IllegalStateException if every branch is already attached
   */
  public <T> Slot<T> supplier(Supplier<? extends CompletionStage<T>> supplier, boolean keep) {
    int index = nextIndex();
    Slot<T> slot = new Slot<>(this, null);
    attachSupplier(supplier, keep, new Branch<>(slot));
    attachedBranch(index);
    return slot;
  }

  /**
   * Names how the result is built once every branch has settled; call it once, after attaching
   * every branch.
   *
   * @param combiner builds the result from the slots; runs exactly once, on the thread that settles
   *     the last branch (this one, if all are already complete)
   * @return this join
   * @throws IllegalStateException if not every branch was attached, or if called twice
   */
  public JoinCall<R> combine(Supplier<? extends R> combiner) {
    Objects.requireNonNull(combiner, "combiner");
    endAttaching();
    if (!inFlight) {
      // Every branch settled on this thread: build the result here, calling the combiner through
      // the parameter (whose exact class the JIT knows once this call is inlined), and complete
      // without atomics; see Combinator#completeUnshared. The combiner is not stored: kept by
      // nothing, the JIT eliminates it, and the slots it reads, even where the join itself
      // escapes.
      // isDone rather than isDecided: with nothing in flight only this thread decides, and its
      // decisions have completed the future by now; one test less in the compiled method.
      if (!isDone()) {
        // The failure is handled after the try block, not in the handler: the JIT compiles every
        // handler, and a call taking `this` there would keep the join from being eliminated.
        R result = null;
        Throwable failure = null;
        try {
          result = combiner.get();
        } catch (Throwable e) {
          failure = e;
        }
        if (failure != null) {
          completeExceptionally(failure);
        } else {
          completeUnshared(result);
        }
      }
      return this;
    }
    this.combiner = combiner;
    settled();
    return this;
  }

  /**
   * Waits for the join, for the blocking form of generated methods (meant for virtual threads).
   *
   * @return the combined result
   * @throws InterruptedException if this thread is interrupted while waiting; every branch not
   *     attached with {@code keep} is cancelled first
   * @throws java.util.concurrent.CancellationException if the join was cancelled
   * @throws RuntimeException the first failure itself when it is unchecked, or a
   *     {@link java.util.concurrent.CompletionException} wrapping it when it is checked
   */
  public R await() throws InterruptedException {
    return awaitResult();
  }

  /**
   * Counts one settled branch (or {@link #combine}); whoever brings the count to zero builds the
   * result. While no branch is in flight nothing is counted: {@link #firstInFlight} subtracts the
   * branches settled until then, or, if none ever goes in flight, {@link #combine} builds the
   * result itself.
   */
  private void settled() {
    if (!inFlight) {
      return;
    }
    if ((int) PENDING.getAndAdd(this, -1) - 1 != 0 || isDecided()) {
      return;
    }
    R result;
    try {
      result = combiner.get();
    } catch (Throwable e) {
      completeExceptionally(e);
      return;
    }
    completeAllSettled(result); // every branch settled: none left to cancel
  }

  /**
   * Subtracts the branches attached before the first one in flight: each settled on this thread
   * without being counted (or lost to a decision, after which the count no longer matters). Nothing
   * else reads or writes the count yet, and the registration that follows publishes it to the
   * callbacks, so a plain store does (a volatile one would add a fence to every late join).
   */
  @Override
  void firstInFlight(int attachedBefore) {
    if (attachedBefore != 0) {
      PENDING.set(this, pending - attachedBefore);
    }
  }

  /** Records a branch's outcome in its slot; a failure of a fail-fast join decides it. */
  private <T> void settle(Slot<T> slot, T value, Throwable error) {
    if (error != null) {
      slot.error = unwrap(error);
      if (!settleAll) {
        completeExceptionally(slot.error);
        return;
      }
    } else {
      slot.value = value;
    }
    settled();
  }

  /**
   * The outcome of one branch of a join, filled in when the branch settles. Read it only from the
   * combiner passed to {@link JoinCall#combine}, which runs after every slot is filled.
   *
   * @param <T> the branch's value type
   */
  public static final class Slot<T> {
    // Plain fields: written before the branch's count in `pending` drops, read by the combiner
    // after
    // it reached zero, which orders them.
    T value;
    Throwable error;
    // The join the callback settles this slot into: here rather than in the callback, which would
    // grow a field past its 24 bytes. Null in a slot filled in place, which has no callback: a slot
    // that referred to its join would keep the JIT from eliminating the join once the generated
    // method is inlined (measured: 72 B per call instead of 24, JDK 17).
    final JoinCall<?> join;

    Slot(JoinCall<?> join, T value) {
      this.join = join;
      this.value = value;
    }

    /**
     * Returns the branch's value.
     *
     * @return the value the branch completed with, possibly null
     * @throws IllegalStateException if the branch failed (never the case in a
     *     {@link Join.Mode#FAIL_FAST} combiner)
     */
    public T value() {
      if (error != null) {
        throw new IllegalStateException("this branch failed; read its outcome() instead", error);
      }
      return value;
    }

    /**
     * Returns the branch's outcome, for {@link Join.Mode#SETTLE_ALL}.
     *
     * @return a {@link Outcome.Success} with the value or a {@link Outcome.Failure} with the
     *     exception, unwrapped from {@link java.util.concurrent.CompletionException}
     */
    public Outcome<T> outcome() {
      return error == null ? new Outcome.Success<>(value) : new Outcome.Failure<>(error);
    }
  }

  /** Receives one pending branch's outcome into its slot; the engine's callback, never the user's. */
  private static final class Branch<T> extends BranchHandler<T> {
    private final Slot<T> slot;

    Branch(Slot<T> slot) {
      this.slot = slot;
    }

    @Override
    void settle(T value, Throwable error) {
      if (slot.join.isDecided()) {
        return; // failed or cancelled already: nothing left to combine
      }
      slot.join.settle(slot, value, error);
    }
  }
}
