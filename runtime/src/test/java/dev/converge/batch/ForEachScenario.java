package dev.converge.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One seeded random run of a forEach loop over a {@link Fixture}, everything on the test thread in
 * virtual time: items arrive in random bursts, time moves in random steps, the handler's stages
 * complete in random order (some at once, some failing), and the stream ends, fails, is closed or
 * the result cancelled. After every step it checks the rules of forEach(maxInFlight, handler), and
 * it writes every event to a trace, so that two loops can be compared event for event.
 *
 * <p>Everything random comes from one {@link Random} seeded with the run's seed, in an order that
 * depends only on what the loop does: the same seed and the same behaviour give the same trace.
 */
final class ForEachScenario {

  /** Starts the loop under test. */
  interface Loop {
    CompletableFuture<Void> start(
        BatchIterator<Integer> iterator,
        Function<? super Batch<Integer>, ? extends CompletionStage<?>> handler);
  }

  private static final String NULL_STAGE =
      "java.lang.NullPointerException: the forEach handler returned null instead of a stage";

  final int maxInFlight;
  private final Random random;
  private final int maxSize;
  private final long maxWaitNanos;
  private final int items;
  private final boolean handlerFailures;
  private final boolean mayClose;
  private final boolean mayCancel;
  private final Fixture f;
  private final String description;

  private final List<String> trace = new ArrayList<>();
  private final List<Batch<Integer>> handed = new ArrayList<>();
  private final List<Integer> handedItems = new ArrayList<>();
  private final TreeMap<Long, CompletableFuture<Void>> pending = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private final IllegalStateException sourceFailure = new IllegalStateException("source fails");
  private boolean sourceFailed;
  private boolean closedByTest;
  private boolean cancelled;
  private List<Integer> leftovers = List.of();
  private int sent;
  private boolean ended;
  private int maxOutstanding;
  private CompletableFuture<Void> result;
  private AssertionError violation;

  ForEachScenario(long seed, int maxInFlight) {
    this.maxInFlight = maxInFlight;
    random = new Random(seed);
    maxSize = 1 + random.nextInt(4);
    int prefetch = 1 + random.nextInt(3);
    maxWaitNanos =
        random.nextInt(10) == 0 ? 0 : Duration.ofMillis(1 + random.nextInt(30)).toNanos();
    items = random.nextInt(80);
    handlerFailures = random.nextInt(3) == 0;
    int ending = random.nextInt(10);
    mayClose = ending == 0;
    mayCancel = ending == 1;
    f = new Fixture(maxSize, Duration.ofNanos(maxWaitNanos), prefetch);
    description =
        "seed "
            + seed
            + ": maxInFlight "
            + maxInFlight
            + ", maxSize "
            + maxSize
            + ", prefetch "
            + prefetch
            + ", maxWait "
            + maxWaitNanos
            + "ns, "
            + items
            + " items"
            + (handlerFailures ? ", handler failures" : "")
            + (mayClose ? ", close" : "")
            + (mayCancel ? ", cancel" : "");
  }

  /** Runs the scenario to the end, checking every rule on the way; returns the trace. */
  List<String> run(Loop loop) {
    try {
      result = loop.start(f.iterator, this::handle);
      check(!result.isDone(), "nothing to do before the first item");
      for (int step = 0; !result.isDone(); step++) {
        check(step < 100_000, "the loop made no progress in 100000 steps");
        act();
        if (violation != null) {
          throw violation;
        }
        trace.add(
            "after: done "
                + result.isDone()
                + ", outstanding "
                + pending.keySet()
                + ", received "
                + f.iterator.receivedCount());
        checkAfterStep();
      }
      checkEnd();
      trace.add("result " + outcome());
      return trace;
    } catch (Throwable e) {
      throw new AssertionError(description + ": " + e.getMessage(), e);
    }
  }

  int maxOutstanding() {
    return maxOutstanding;
  }

  private CompletionStage<?> handle(Batch<Integer> batch) {
    try {
      return checkedHandle(batch);
    } catch (AssertionError e) {
      // The loop would take it for a handler failure; the step that led here rethrows it.
      violation = violation == null ? e : violation;
      throw e;
    }
  }

  private CompletionStage<?> checkedHandle(Batch<Integer> batch) {
    check(result == null || !result.isDone(), "handed out after the result completed");
    check(failures.isEmpty(), "handed out after a failure");
    check(!closedByTest, "handed out after close");
    check(pending.size() < maxInFlight, "more than maxInFlight stages outstanding");
    check(
        batch.sequence() == handed.size(),
        "batch " + batch.sequence() + " handed out after " + handed.size() + " batches");
    handed.add(batch);
    handedItems.addAll(batch.items());
    maxOutstanding = Math.max(maxOutstanding, pending.size() + 1);
    trace.add("hand " + batch.sequence() + " " + batch.reason() + " " + batch.items());
    int kind = random.nextInt(100);
    if (handlerFailures && kind < 3) {
      IllegalStateException thrown = new IllegalStateException("throws at " + batch.sequence());
      failures.add(describe(thrown));
      throw thrown;
    }
    if (handlerFailures && kind < 5) {
      failures.add(NULL_STAGE);
      return null;
    }
    if (handlerFailures && kind < 8) {
      IllegalStateException failed = new IllegalStateException("fails at once " + batch.sequence());
      failures.add(describe(failed));
      return CompletableFuture.failedFuture(failed);
    }
    if (kind < 25) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> stage = new CompletableFuture<>();
    pending.put(batch.sequence(), stage);
    return stage;
  }

  private void act() {
    int action = random.nextInt(100);
    if (action < 30 && sent < items && !ended && !closedByTest) {
      int burst = Math.min(items - sent, 1 + random.nextInt(2 * maxSize));
      trace.add("send " + sent + ".." + (sent + burst - 1));
      for (int i = 0; i < burst && !result.isDone(); i++) { // a handler failure may close it
        check(f.channel.trySend(sent++), "the channel has room");
      }
    } else if (action < 75 && !pending.isEmpty()) {
      List<Long> outstanding = new ArrayList<>(pending.keySet());
      long sequence = outstanding.get(random.nextInt(outstanding.size()));
      CompletableFuture<Void> stage = pending.remove(sequence); // before: completing hands out
      if (handlerFailures && random.nextInt(8) == 0) {
        IllegalStateException failed = new IllegalStateException("stage fails " + sequence);
        trace.add("fail " + sequence);
        failures.add(describe(failed));
        Throwable reported = random.nextBoolean() ? failed : new CompletionException(failed);
        stage.completeExceptionally(reported);
      } else {
        trace.add("complete " + sequence);
        stage.complete(null);
      }
    } else if (action < 90 && sent == items && !ended) {
      ended = true;
      if (!handlerFailures && random.nextInt(3) == 0) {
        trace.add("source fails");
        sourceFailed = true;
        f.channel.fail(sourceFailure);
      } else {
        trace.add("source ends");
        f.channel.complete();
      }
    } else if (action < 92 && mayClose && !closedByTest) {
      closedByTest = true;
      leftovers = f.iterator.close();
      trace.add("close: " + leftovers);
    } else if (action < 93 && mayCancel && !cancelled) {
      cancelled = true;
      trace.add("cancel: " + result.cancel(false));
    } else {
      long by = random.nextLong(maxWaitNanos * 3 / 2 + 2);
      trace.add("advance " + by);
      f.advance(by);
    }
  }

  private void checkAfterStep() {
    if (!cancelled) {
      check(!result.isDone() || pending.isEmpty(), "completed with stages outstanding");
      check(
          result.isDone() || failures.isEmpty() || !pending.isEmpty(),
          "not completed after a failure, with no stage outstanding");
    }
    long waiting = f.iterator.receivedCount() - handedItems.size();
    if (!result.isDone() && failures.isEmpty() && !closedByTest && pending.size() < maxInFlight) {
      // A free slot means the loop waits in next(), so no complete batch can be held back.
      check(waiting < maxSize, waiting + " items held back while a slot was free");
    }
    f.iterator.checkInvariants();
  }

  private void checkEnd() {
    if (cancelled) {
      check(result.isCancelled(), "cancelled");
      return;
    }
    if (!failures.isEmpty()) {
      Throwable cause = Fixture.failedAtOnce(result);
      check(describe(cause).equals(failures.get(0)), "the first failure wins, got " + cause);
      List<String> suppressed = new ArrayList<>();
      for (Throwable later : cause.getSuppressed()) {
        suppressed.add(describe(later));
      }
      check(
          suppressed.equals(failures.subList(1, failures.size())),
          "later failures suppressed in order: " + suppressed + " vs " + failures);
      return;
    }
    if (sourceFailed && !(closedByTest && !result.isCompletedExceptionally())) {
      check(Fixture.failedAtOnce(result) == sourceFailure, "fails with the source's failure");
      check(handedItems.equals(Fixture.range(0, items)), "every item before the failure handed");
      check(Fixture.failedAtOnce(f.iterator.next()) == sourceFailure, "the iterator stays failed");
      return;
    }
    check(!result.isCompletedExceptionally(), "completes normally");
    if (!closedByTest) {
      check(handedItems.equals(Fixture.range(0, items)), "every item handed, in order");
    } else if (!sourceFailed) {
      List<Integer> all = new ArrayList<>(handedItems);
      all.addAll(leftovers);
      all.addAll(f.channel.poll(Integer.MAX_VALUE).toCompletableFuture().join());
      check(all.equals(Fixture.range(0, sent)), "nothing lost on close: " + all);
    }
  }

  private String outcome() {
    if (result.isCancelled()) {
      return "cancelled";
    }
    return result.isCompletedExceptionally()
        ? "failed " + describe(Fixture.failedAtOnce(result))
        : "completed";
  }

  private static String describe(Throwable error) {
    return error.getClass().getName() + ": " + error.getMessage();
  }

  private static void check(boolean condition, String rule) {
    if (!condition) {
      throw new AssertionError(rule);
    }
  }
}
