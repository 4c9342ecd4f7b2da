package dev.converge.batch;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The one poll a {@link BatchIterator} keeps on a polled source: where it is, who is making it, and
 * the hand-off between the thread that makes a poll and the one its completion arrives on. Every
 * method is called with the iterator's lock held; {@code source.poll} itself and attaching the
 * completion callback happen outside it, between {@link #begin} and {@link #returned}, and between
 * {@link #returned} and {@link #registered}.
 *
 * <pre>
 *   state        event                                   next state    what the iterator does
 *   ───────────  ──────────────────────────────────────  ────────────  ──────────────────────────────
 *   IDLE         begin(max), no registration running     CALLING       calls source.poll(max)
 *   IDLE         begin(max) while registering            IDLE          nothing: the registrant polls
 *   CALLING      returned(stage), iterator still open    OUTSTANDING   attaches the callback
 *   CALLING      returned(stage), iterator closed        IDLE          cancels the stage
 *   OUTSTANDING  registered()                            OUTSTANDING   polls again if one was wanted
 *   OUTSTANDING  completed(stage), the current one       IDLE          takes the items
 *   any          completed(stage), not the current one  unchanged     ignores it (close() took it)
 *   any          takeForClose()                          IDLE/CALLING  cancels the stage it returns
 * </pre>
 *
 * <p>Only one poll is ever outstanding. A poll that completes while its callback is still being
 * attached (at once, or on another thread) may make room for another; that follow-up is {@link
 * #begin wanted} and left to the registering thread's loop, so a synchronous source cannot grow the
 * stack. While a poll is CALLING, {@code close()} on another thread waits for it to return
 * ({@link #isCallingElsewhere}), so that it can cancel the poll and harvest items it carried.
 *
 * @param <T> the item type
 */
final class PollProtocol<T> {

  /** Where the poll is. */
  enum State {
    /** No poll: the batch being filled has no room, or a poll is about to be made. */
    IDLE,
    /** A thread is inside {@code source.poll()}. */
    CALLING,
    /** The poll's stage is known and not yet complete. */
    OUTSTANDING
  }

  private State state = State.IDLE;
  private Thread caller;
  private int requested;
  private CompletionStage<List<T>> stage;
  private boolean registering;
  private boolean wanted;

  /** Whether no poll is being made or outstanding. */
  boolean isIdle() {
    return state == State.IDLE;
  }

  /** Whether a thread other than the current one is inside {@code source.poll()}. */
  boolean isCallingElsewhere() {
    return state == State.CALLING && caller != Thread.currentThread();
  }

  /** Whether a thread is attaching a poll's completion callback (a new poll must wait for it). */
  boolean isRegistering() {
    return registering;
  }

  /** The {@code max} of the latest poll. */
  int requested() {
    return requested;
  }

  /**
   * Starts a poll of {@code max} items on the current thread (IDLE to CALLING). Returns false if a
   * callback is being registered: the poll is then wanted, and the registering thread makes it.
   */
  boolean begin(int max) {
    if (registering) {
      wanted = true;
      return false;
    }
    state = State.CALLING;
    caller = Thread.currentThread();
    requested = max;
    return true;
  }

  /**
   * {@code source.poll()} returned {@code polled}. Returns true if the poll is now outstanding and the
   * caller must attach the completion callback (then call {@link #registered}); false if the iterator
   * was closed meanwhile, and the caller cancels {@code polled}.
   */
  boolean returned(CompletionStage<List<T>> polled, boolean closed) {
    caller = null;
    if (closed) {
      state = State.IDLE;
      return false;
    }
    state = State.OUTSTANDING;
    stage = polled;
    registering = true;
    return true;
  }

  /** The completion callback is attached. Returns whether another poll was wanted meanwhile. */
  boolean registered() {
    registering = false;
    boolean again = wanted;
    wanted = false;
    return again;
  }

  /** A poll completed. Returns false if it is not the current poll (close() took it). */
  boolean completed(CompletionStage<List<T>> polled) {
    if (stage != polled) {
      return false;
    }
    stage = null;
    state = State.IDLE;
    return true;
  }

  /** close(): withdraws the outstanding poll and returns its stage, to cancel, or null. */
  CompletionStage<List<T>> takeForClose() {
    CompletionStage<List<T>> taken = stage;
    stage = null;
    if (state == State.OUTSTANDING) {
      state = State.IDLE;
    }
    return taken;
  }
}
