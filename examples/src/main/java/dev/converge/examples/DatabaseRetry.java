package dev.converge.examples;

import dev.converge.batch.Scheduler;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the service's database calls, each until it succeeds or fails for good: a lookup, a batch's
 * insert, opening the pool, preparing the schema. A failure that {@link TransientSqlErrors} calls
 * transient is retried after a {@link Backoff}:
 *
 * <ul>
 *   <li>the database unreachable ({@link TransientSqlErrors.Kind#UNAVAILABLE}): as long as the
 *       outage lasts, up to {@code --give-up-after}; the {@link OutageReporter} prints the outage's
 *       start and end. Past the limit the call fails with {@link OutageTooLongException}, the last
 *       attempt falling exactly on the limit.
 *   <li>a collision with another transaction ({@link TransientSqlErrors.Kind#CONFLICT}): up to
 *       {@link #CONFLICT_ATTEMPTS} attempts in all, then it fails with the last collision.
 * </ul>
 *
 * <p>Any other failure fails the call at once: a {@link SQLException} wrapped in a {@link
 * DatabaseException}, anything else as it is.
 *
 * <p>Nothing waits on a thread: each attempt runs on the executor, and the wait before the next is
 * a timer of the scheduler. A caller that chains on the returned future (the batch pipeline) simply
 * sees it complete later; meanwhile the batch iterator fills its prefetch and the Kafka source
 * pauses its partitions, so the member keeps them and commits nothing it has not stored. Cancelling
 * the future stops the retries.
 *
 * <p>Every call is idempotent (inserts skip stored rows, the schema is created if missing), and
 * each attempt runs on a fresh connection, so running one again, even after a commit whose answer
 * was lost, stores nothing twice. Thread-safe.
 */
final class DatabaseRetry {

  /** Attempts a transaction gets when it keeps colliding with others. */
  static final int CONFLICT_ATTEMPTS = 10;

  /**
   * One attempt of a database call.
   *
   * @param <T> what it returns
   */
  @FunctionalInterface
  interface SqlCall<T> {
    /**
     * Makes the attempt.
     *
     * @return its result
     * @throws SQLException if the database fails it
     */
    T call() throws SQLException;
  }

  private final Executor executor;
  private final Scheduler scheduler;
  private final Backoff backoff;
  private final OutageReporter outage;
  private final ServiceMetrics metrics;

  /**
   * Creates the retrying caller.
   *
   * @param executor where attempts run (the JDBC threads)
   * @param scheduler the clock and the timers that end each wait
   * @param backoff how long each wait is
   * @param outage the database's outages, and how long one may last
   * @param metrics counts retries
   */
  DatabaseRetry(
      Executor executor,
      Scheduler scheduler,
      Backoff backoff,
      OutageReporter outage,
      ServiceMetrics metrics) {
    this.executor = executor;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.outage = outage;
    this.metrics = metrics;
  }

  /**
   * Starts a call on the executor.
   *
   * @param call one attempt
   * @param <T> what it returns
   * @return its result once an attempt succeeds; failed as described above; cancelling it stops the
   *     retries (an attempt already running finishes, and its result is dropped)
   */
  <T> CompletableFuture<T> call(SqlCall<T> call) {
    Attempts<T> attempts = new Attempts<>(call);
    attempts.submit();
    return attempts.result;
  }

  /** One call's attempts: run, and after a transient failure, wait and run again. */
  private final class Attempts<T> implements Runnable {
    private final SqlCall<T> call;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    // Attempts run one after another (each schedules the next), so these need no lock: each
    // attempt happens-after the one before through the scheduler and the executor.
    private int retries;
    private int conflicts;

    /** When the latest attempt started, on the scheduler's clock: an outage ends only after it. */
    private long attemptStarted;

    /** The timer of the wait under way, cancelled when the result completes (or is cancelled). */
    private volatile Scheduler.Timer waiting;

    Attempts(SqlCall<T> call) {
      this.call = call;
      result.whenComplete(
          (value, failure) -> {
            Scheduler.Timer timer = waiting;
            if (timer != null) {
              timer.cancel();
            }
          });
    }

    void submit() {
      if (result.isDone()) {
        return; // Cancelled while waiting.
      }
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        // The run is shutting down.
        result.completeExceptionally(e);
      }
    }

    @Override
    public void run() {
      if (result.isDone()) {
        return;
      }
      T value;
      attemptStarted = scheduler.nanoTime();
      try {
        value = call.call();
      } catch (SQLException e) {
        failed(e);
        return;
      } catch (RuntimeException | Error e) {
        // Not the database's doing: the call fails with it as it is, and nothing waits for ever.
        result.completeExceptionally(e);
        return;
      }
      outage.reachable(attemptStarted);
      result.complete(value);
    }

    private void failed(SQLException error) {
      long delay;
      switch (TransientSqlErrors.classify(error)) {
        case UNAVAILABLE -> {
          long lasted = outage.unreachable(error);
          long left = outage.giveUpAfter().toNanos() - lasted;
          if (left <= 0) {
            result.completeExceptionally(outage.tooLong(error, lasted));
            return;
          }
          // The last attempt falls on the limit, not a whole backoff past it.
          delay = Math.min(backoff.delayNanos(retries + 1), left);
        }
        case CONFLICT -> {
          if (++conflicts == CONFLICT_ATTEMPTS) {
            result.completeExceptionally(new DatabaseException(error));
            return;
          }
          // A collision is an answer: the database is reachable.
          outage.reachable(attemptStarted);
          delay = backoff.delayNanos(retries + 1);
        }
        default -> {
          result.completeExceptionally(new DatabaseException(error));
          return;
        }
      }
      retries++;
      metrics.retried();
      waiting = scheduler.schedule(this::submit, delay);
      if (result.isDone()) {
        // Cancelled while the timer was being set: the callback above may have missed it.
        waiting.cancel();
      }
    }
  }
}
