package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A source's lifecycle, its failure, and how other threads get the attention of its consumer
 * thread.
 *
 * <p>Every method but {@link #awaitTermination()}, {@link #terminated()}, {@link #backoff} and
 * {@link #runCompletions} is called with the source's lock held; that one lock also guards the
 * {@link FetchBuffer}, the {@link Assignment} and the {@link OffsetCommitter}'s state.
 */
final class SourceState {

  /**
   * The lifecycle of a source. Every transition happens under the source's lock:
   *
   * <pre>
   * NEW     → RUNNING  the first poll starts the source's thread
   * NEW     → CLOSED   close() before the first poll: the caller closes the consumer itself
   * RUNNING → FAILED   consumer.poll (or the thread) failed: no more polling, commits go on
   * RUNNING → CLOSING  close(), or the thread ends for another reason
   * FAILED  → CLOSING  close(), or the thread ends for another reason
   * CLOSING → CLOSED   the thread committed what is marked, closed the consumer and ends
   * </pre>
   */
  enum Lifecycle {
    /** Built; no thread yet, nothing has touched the consumer. */
    NEW,
    /** The thread polls, fetches, pauses and commits. */
    RUNNING,
    /**
     * The stream failed: polls get the failure once the records fetched before it are taken. The
     * thread no longer polls (the consumer would fail the same way) but still commits what is
     * marked, synchronously, until close().
     */
    FAILED,
    /** close() was called: polls get an empty list; the thread commits and closes the consumer. */
    CLOSING,
    /** The consumer is closed and the thread has ended (or never started). */
    CLOSED
  }

  private final ReentrantLock lock;

  /** Signalled when there is work for a thread that waits without polling. */
  private final Condition work;

  private final CountDownLatch terminated = new CountDownLatch(1);

  /** Where completions decided on the source's thread run: never on that thread itself. */
  private final Executor completionExecutor;

  // Guarded by lock.
  private Lifecycle lifecycle = Lifecycle.NEW;

  /** The stream's failure; stays set once the source closes. */
  private RuntimeException failure;

  /** Set when the source's thread could not be started: the stream failed before it began. */
  private RuntimeException startFailure;

  /** Written once under the lock before the thread starts; read without it by onSourceThread. */
  private volatile Thread thread;

  /** The thread is in consumer.poll (or about to enter it): a nudge must wake it up. */
  private boolean polling;

  SourceState(ReentrantLock lock, Executor completionExecutor) {
    this.lock = lock;
    this.work = lock.newCondition();
    this.completionExecutor = completionExecutor;
  }

  // ---------------------------------------------------------------- lifecycle, lock held

  boolean isNew() {
    return lifecycle == Lifecycle.NEW;
  }

  boolean isRunning() {
    return lifecycle == Lifecycle.RUNNING;
  }

  boolean isFailed() {
    return lifecycle == Lifecycle.FAILED;
  }

  /** CLOSING or CLOSED: polls get an empty list. */
  boolean closeRequested() {
    return lifecycle == Lifecycle.CLOSING || lifecycle == Lifecycle.CLOSED;
  }

  /** The stream's failure, or null; it stays set after close() (unlike {@link #isFailed()}). */
  RuntimeException failure() {
    return failure;
  }

  /**
   * NEW → RUNNING: makes the source's one thread with {@code factory} and starts it; or, on
   * failure (the factory returned null or threw, or the thread would not start), NEW → CLOSED with
   * {@link #startFailed}, so that the stream fails at once and the source closes.
   *
   * @return the failure, or null when the thread runs
   */
  RuntimeException startThread(ThreadFactory factory, Runnable loop) {
    RuntimeException failure;
    try {
      Thread thread = factory.newThread(loop);
      if (thread != null) {
        start(thread);
        return null;
      }
      failure =
          new IllegalStateException(
              "the Kafka source's thread factory returned no thread: " + factory);
    } catch (RuntimeException | OutOfMemoryError e) {
      // OutOfMemoryError is what Thread.start throws when the OS refuses a new thread.
      failure = new IllegalStateException("the Kafka source's thread could not be started", e);
    }
    startFailed(failure);
    return failure;
  }

  /** NEW → RUNNING: starts {@code thread}, the source's one thread. */
  private void start(Thread thread) {
    this.thread = thread;
    lifecycle = Lifecycle.RUNNING;
    thread.start();
  }

  /**
   * NEW → CLOSED: the thread factory returned null or the thread could not start. The stream
   * fails with {@code error}; the caller closes the consumer and then calls {@link #terminated()}.
   */
  void startFailed(RuntimeException error) {
    this.thread = null;
    failure = error;
    startFailure = error;
    lifecycle = Lifecycle.CLOSED;
  }

  /** The failure that kept the thread from starting, or null. */
  RuntimeException startFailure() {
    return startFailure;
  }

  /** Records the stream's failure (the first one wins); RUNNING → FAILED. */
  void fail(RuntimeException error) {
    if (failure == null) {
      failure = error;
    }
    if (lifecycle == Lifecycle.RUNNING) {
      lifecycle = Lifecycle.FAILED;
    }
  }

  /**
   * close() was called: NEW → CLOSED, RUNNING or FAILED → CLOSING; otherwise nothing changes.
   *
   * @return the state before, which says what the caller must do
   */
  Lifecycle requestClose() {
    Lifecycle before = lifecycle;
    if (before == Lifecycle.NEW) {
      lifecycle = Lifecycle.CLOSED;
    } else if (before == Lifecycle.RUNNING || before == Lifecycle.FAILED) {
      lifecycle = Lifecycle.CLOSING;
    }
    return before;
  }

  /** The thread is ending, whether close() was called or not: → CLOSING. */
  void closing() {
    lifecycle = Lifecycle.CLOSING;
  }

  /** Whether the caller is the source's own thread. */
  boolean onSourceThread() {
    return thread != null && Thread.currentThread() == thread;
  }

  // ---------------------------------------------------------------- waking the thread, lock held

  /**
   * The thread is about to call consumer.poll (or another consumer call that close() must be
   * able to end, such as the startup checks): from now on a nudge must wake it up.
   */
  void pollingStarts() {
    polling = true;
  }

  /** consumer.poll returned. */
  void pollingEnded() {
    polling = false;
  }

  /**
   * Tells the thread there is work: signals it if it waits without polling.
   *
   * @return true when the caller must call {@code consumer.wakeup()} once the lock is released, to
   *     end the consumer.poll the thread is in
   */
  boolean nudge() {
    work.signalAll();
    if (polling) {
      polling = false;
      return true;
    }
    return false;
  }

  /** Waits, releasing the lock meanwhile, until a nudge. */
  void awaitWork() {
    work.awaitUninterruptibly();
  }

  // ---------------------------------------------------------------- without the lock

  /** Waits {@code nanos} before a retry, or less if nudged meanwhile. */
  void backoff(long nanos) {
    lock.lock();
    try {
      work.awaitNanos(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Carries out the completions of stages this source returned, decided under the lock: the one
   * place where a poll's or a commit's stage completes. Called without the lock.
   *
   * <p>On a caller's thread they run at once, there. On the source's thread (an answer from Kafka,
   * a revocation, records fetched for a waiting poll) they are handed, as one task per batch of
   * completions, to the completion executor, so neither the stages' dependents nor user code
   * chained to them ever runs on the consumer's thread, and a callback that blocks cannot delay
   * consumer.poll. An executor that refuses the task (shut down) would leave the stages
   * incomplete for good; they then run here after all, since a late completion beats none.
   */
  void runCompletions(AfterUnlock completions) {
    if (completions.isEmpty()) {
      return;
    }
    if (!onSourceThread()) {
      completions.run();
      return;
    }
    try {
      completionExecutor.execute(completions::run);
    } catch (RejectedExecutionException e) {
      completions.run();
    }
  }

  /** → CLOSED: the consumer is closed and the thread ends; close() returns. */
  void terminated() {
    lock.lock();
    try {
      lifecycle = Lifecycle.CLOSED;
    } finally {
      lock.unlock();
    }
    terminated.countDown();
  }

  /** Waits for {@link #terminated()}, uninterruptibly, keeping the caller's interrupt status. */
  void awaitTermination() {
    boolean interrupted = false;
    while (true) {
      try {
        terminated.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
