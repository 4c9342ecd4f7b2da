package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Retries of database calls, in virtual time: a {@link ManualScheduler} ends the waits and the
 * attempts run on the thread that advances it, so every attempt's instant is exact and nothing
 * sleeps.
 */
class DatabaseRetryTest {

  private static final String DATABASE = "the database at jdbc:postgresql://db:5432/orders";

  private final ManualScheduler time = new ManualScheduler();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final ServiceMetrics metrics = new ServiceMetrics();

  /** Jitter 0: retry n waits half its ceiling, 100 ms × 2^(n-1) up to 400 ms: 100, 200, 200… */
  private DatabaseRetry retry(Duration giveUpAfter) {
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    OutageReporter outage = new OutageReporter(DATABASE, giveUpAfter, time, out, metrics);
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofMillis(400), () -> 0.0);
    return new DatabaseRetry(Runnable::run, time, backoff, outage, metrics);
  }

  /** A call that fails with the queued failures, one per attempt, then returns 42. */
  private static final class ScriptedCall implements DatabaseRetry.SqlCall<Integer> {
    final Deque<Exception> failures = new ArrayDeque<>();
    final List<Long> attemptedAt = new ArrayList<>();
    final ManualScheduler time;

    ScriptedCall(ManualScheduler time, Exception... failures) {
      this.time = time;
      this.failures.addAll(List.of(failures));
    }

    @Override
    public Integer call() throws SQLException {
      attemptedAt.add(time.nanoTime() / 1_000_000);
      Exception next = failures.poll();
      if (next instanceof SQLException sql) {
        throw sql;
      }
      if (next instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      return 42;
    }
  }

  private static SQLException lost() {
    return new SQLException("An I/O error occurred while sending to the backend.", "08006");
  }

  private static SQLException refused() {
    return new SQLException("Connection to db:5432 refused.", "08001");
  }

  private List<String> lines() {
    return printed.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void transientFailuresAreRetriedAfterTheBackoffWithoutBlockingTheCaller() throws Exception {
    ScriptedCall call = new ScriptedCall(time, lost(), refused(), refused());

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);

    // The caller got its future back while the database is down: nothing waited on its thread.
    assertFalse(result.isDone());
    assertEquals(List.of(0L), call.attemptedAt);
    time.advance(Duration.ofMillis(99));
    assertEquals(List.of(0L), call.attemptedAt, "the first retry waits 100 ms");
    time.advance(Duration.ofMillis(1));
    assertEquals(List.of(0L, 100L), call.attemptedAt);
    time.advance(Duration.ofSeconds(1));

    assertEquals(List.of(0L, 100L, 300L, 500L), call.attemptedAt);
    assertEquals(42, result.get());
    assertEquals(0, time.pendingTimers());
  }

  @Test
  void anOutageIsReportedOnceWhenItStartsAndOnceWhenItEnds() throws Exception {
    ScriptedCall call =
        new ScriptedCall(
            time,
            new SQLException("FATAL: terminating connection due to administrator command", "57P01"),
            refused(),
            refused());

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);
    time.advance(Duration.ofSeconds(1));

    assertEquals(42, result.get());
    assertEquals(
        List.of(
            "outage: "
                + DATABASE
                + " is unreachable: FATAL: terminating connection due to"
                + " administrator command (SQLState 57P01); retrying for up to 5m",
            "outage over: " + DATABASE + " is back after 0.5 s"),
        lines());
    ServiceMetrics.Snapshot counts = metrics.snapshot();
    assertEquals(3, counts.retries());
    assertEquals(1, counts.outages());
    assertEquals(Duration.ofMillis(500).toNanos(), counts.outageNanos());
  }

  @Test
  void callsFailingDuringOneOutageReportItOnce() throws Exception {
    DatabaseRetry retry = retry(Duration.ofMinutes(5));
    ScriptedCall lookup = new ScriptedCall(time, lost(), refused());
    ScriptedCall insert = new ScriptedCall(time, refused());

    CompletableFuture<Integer> first = retry.call(lookup);
    time.advance(Duration.ofMillis(60));
    CompletableFuture<Integer> second = retry.call(insert);
    time.advance(Duration.ofSeconds(2));

    assertEquals(42, first.get());
    assertEquals(42, second.get());
    // The insert came back at 160 ms and ended the outage; the lookup's failure at 100 ms was
    // part of it, and its success at 300 ms finds it over.
    assertEquals(List.of(0L, 100L, 300L), lookup.attemptedAt);
    assertEquals(List.of(60L, 160L), insert.attemptedAt);
    assertEquals(2, lines().size(), "one outage, one line at each end: " + lines());
    assertTrue(lines().get(1).endsWith(" is back after 0.2 s"), lines().get(1));
    assertEquals(1, metrics.snapshot().outages());
    assertEquals(3, metrics.snapshot().retries());
  }

  @Test
  void anOutageLongerThanGiveUpAfterFailsTheCallNamingTheDatabase() {
    ScriptedCall call = new ScriptedCall(time);
    for (int i = 0; i < 100; i++) {
      call.failures.add(refused());
    }

    CompletableFuture<Integer> result = retry(Duration.ofSeconds(1)).call(call);
    time.advance(Duration.ofMillis(999));
    assertFalse(result.isDone());
    time.advance(Duration.ofMillis(1));

    // 100, 200, 200… ms apart; the last wait is cut short so that the last attempt falls on the
    // limit rather than a whole backoff past it.
    assertEquals(List.of(0L, 100L, 300L, 500L, 700L, 900L, 1000L), call.attemptedAt);
    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    OutageTooLongException tooLong =
        assertInstanceOf(OutageTooLongException.class, failure.getCause());
    assertEquals(
        "gave up on "
            + DATABASE
            + ": unreachable for 1.0 s (--give-up-after 1s): "
            + "Connection to db:5432 refused. (SQLState 08001)",
        tooLong.getMessage());
    assertEquals("08001", ((SQLException) tooLong.getCause()).getSQLState());
    assertEquals(0, time.pendingTimers());
    assertEquals(1, lines().size(), "the start line; the end is the service's error line");
  }

  @Test
  void giveUpAfterZeroRidesThroughNothing() {
    ScriptedCall call = new ScriptedCall(time, refused());

    CompletableFuture<Integer> result = retry(Duration.ZERO).call(call);

    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    assertInstanceOf(OutageTooLongException.class, failure.getCause());
    assertEquals(List.of(), lines());
    assertEquals(0, time.pendingTimers());
  }

  @Test
  void permanentFailureFailsAtOnceWithoutRetryOrOutage() {
    SQLException missingTable = new SQLException("relation \"customers\" does not exist", "42P01");
    ScriptedCall call = new ScriptedCall(time, missingTable);

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);

    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    assertInstanceOf(DatabaseException.class, failure.getCause());
    assertSame(missingTable, failure.getCause().getCause());
    assertEquals(List.of(0L), call.attemptedAt);
    assertEquals(List.of(), lines());
    assertEquals(0, time.pendingTimers());
    assertEquals(0, metrics.snapshot().retries());
  }

  @Test
  void failureWithoutSqlStateIsPermanent() {
    ScriptedCall call = new ScriptedCall(time, new SQLException("Connection is closed"));

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);

    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    assertEquals("Connection is closed", failure.getCause().getMessage());
    assertEquals(List.of(0L), call.attemptedAt);
  }

  @Test
  void uncheckedFailureFailsAtOnceAsItIs() {
    IllegalStateException bug = new IllegalStateException("a bug");
    ScriptedCall call = new ScriptedCall(time, bug);

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);

    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    assertSame(bug, failure.getCause());
  }

  @Test
  void conflictsAreRetriedWithBackoffThenGivenUpWithoutAnOutage() {
    ScriptedCall call = new ScriptedCall(time);
    for (int i = 0; i < DatabaseRetry.CONFLICT_ATTEMPTS; i++) {
      call.failures.add(new SQLException("deadlock detected", "40P01"));
    }

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);
    time.advance(Duration.ofMinutes(1));

    assertEquals(DatabaseRetry.CONFLICT_ATTEMPTS, call.attemptedAt.size());
    assertEquals(List.of(0L, 100L, 300L), call.attemptedAt.subList(0, 3));
    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    assertInstanceOf(DatabaseException.class, failure.getCause());
    assertEquals("deadlock detected", failure.getCause().getMessage());
    assertEquals(List.of(), lines());
    assertEquals(0, metrics.snapshot().outages());
    assertEquals(DatabaseRetry.CONFLICT_ATTEMPTS - 1, metrics.snapshot().retries());
  }

  @Test
  void aConflictRunAgainSucceeds() throws Exception {
    ScriptedCall call =
        new ScriptedCall(
            time, new SQLException("duplicate key value violates unique constraint", "23505"));

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);
    time.advance(Duration.ofMillis(100));

    assertEquals(42, result.get());
    assertEquals(List.of(0L, 100L), call.attemptedAt);
  }

  @Test
  void cancellingTheCallStopsItsRetries() {
    ScriptedCall call = new ScriptedCall(time, lost(), lost(), lost());

    CompletableFuture<Integer> result = retry(Duration.ofMinutes(5)).call(call);
    assertEquals(1, time.pendingTimers());
    assertTrue(result.cancel(true));
    time.advance(Duration.ofMinutes(1));

    assertEquals(List.of(0L), call.attemptedAt);
    assertEquals(0, time.pendingTimers());
  }

  @Test
  void anExecutorThatRefusesFailsTheCallInsteadOfLosingIt() {
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    OutageReporter outage = new OutageReporter(DATABASE, Duration.ofMinutes(5), time, out, metrics);
    DatabaseRetry retry =
        new DatabaseRetry(
            task -> {
              throw new RejectedExecutionException("shut down");
            },
            time,
            Backoff.standard(),
            outage,
            metrics);

    CompletableFuture<Integer> result = retry.call(new ScriptedCall(time));

    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    assertEquals("shut down", failure.getCause().getMessage());
  }
}
