package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a join counts its branches: those settled on the attaching thread before any branch is in
 * flight are not counted one by one but subtracted when the first branch goes in flight (or never,
 * when none does and combine builds the result in place). Every mix of branch kinds and attach
 * orders must still complete exactly once, after the last branch, with every outcome.
 */
class JoinCountingTest {

  /** How a branch of the generated mix is attached and settled. */
  private enum Kind {
    COMPLETED,
    FAILED,
    PENDING,
    PENDING_FAILING,
    CALLABLE,
    REJECTED_CALLABLE,
    SUPPLIED_COMPLETED,
    SUPPLIED_PENDING
  }

  private final IOException failure = new IOException("branch failed");

  @Test
  void completedBranchAttachedAfterAPendingOneIsCountedWhenItArrives() throws InterruptedException {
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(Runnable::run, 3);
    JoinCall.Slot<String> user = call.stage(CompletableFuture.completedFuture("ann"), false);
    JoinCall.Slot<Long> pending = call.stage(count, false);
    JoinCall.Slot<String> late = call.stage(CompletableFuture.completedFuture("bob"), false);
    call.combine(() -> new Enriched(user.value() + late.value(), pending.value()));
    assertFalse(call.isDone());

    count.complete(2L);

    assertEquals(new Enriched("annbob", 2L), Settle.valueOf(call));
  }

  @Test
  void branchesSettledInPlaceAreSubtractedOnceWhenACallableGoesInFlight()
      throws InterruptedException {
    // The callable runs at once on the calling thread, so it settles (and counts) before combine.
    JoinCall<Enriched> call = JoinCall.settleAll(Runnable::run, 3);
    JoinCall.Slot<String> user = call.stage(CompletableFuture.completedFuture("ann"), false);
    JoinCall.Slot<String> failed = call.stage(CompletableFuture.failedFuture(failure), false);
    JoinCall.Slot<Long> count = call.callable(() -> 7L, false);
    call.combine(() -> new Enriched(user.value() + failed.outcome(), count.value()));

    assertEquals(new Enriched("ann" + Outcome.failure(failure), 7L), Settle.valueOf(call));
  }

  @Test
  void everyMixOfBranchKindsCompletesOnceAfterItsLastBranch() throws InterruptedException {
    Random random = new Random(20);
    for (int trial = 0; trial < 2_000; trial++) {
      int branches = 2 + random.nextInt(5);
      List<Kind> kinds = new ArrayList<>();
      for (int i = 0; i < branches; i++) {
        kinds.add(Kind.values()[random.nextInt(Kind.values().length)]);
      }
      runTrial(kinds, random, "trial " + trial + " " + kinds);
    }
  }

  private void runTrial(List<Kind> kinds, Random random, String what) throws InterruptedException {
    Executor rejecting =
        task -> {
          throw new RejectedExecutionException("full");
        };
    Executor direct = Runnable::run;
    JoinCall<List<Outcome<Object>>> call = JoinCall.settleAll(direct, kinds.size());
    List<JoinCall.Slot<Object>> slots = new ArrayList<>();
    List<Outcome<Object>> expected = new ArrayList<>();
    List<Runnable> later = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      Object value = "value " + i;
      CompletableFuture<Object> pending = new CompletableFuture<>();
      switch (kinds.get(i)) {
        case COMPLETED -> slots.add(call.stage(CompletableFuture.completedFuture(value), false));
        case FAILED -> slots.add(call.stage(CompletableFuture.failedFuture(failure), false));
        case PENDING -> {
          slots.add(call.stage(pending, false));
          later.add(() -> pending.complete(value));
        }
        case PENDING_FAILING -> {
          slots.add(call.stage(pending, false));
          later.add(() -> pending.completeExceptionally(failure));
        }
        case CALLABLE -> slots.add(call.callable(() -> value, false));
        case REJECTED_CALLABLE -> slots.add(JoinCountingTest.attachRejected(call, rejecting));
        case SUPPLIED_COMPLETED ->
            slots.add(call.supplier(() -> CompletableFuture.completedFuture(value), false));
        case SUPPLIED_PENDING -> {
          slots.add(call.supplier(() -> pending, false));
          later.add(() -> pending.complete(value));
        }
        default -> throw new AssertionError(kinds.get(i));
      }
      expected.add(expectedOutcome(kinds.get(i), value));
    }
    AtomicInteger combined = new AtomicInteger();
    call.combine(
        () -> {
          combined.incrementAndGet();
          List<Outcome<Object>> outcomes = new ArrayList<>();
          for (JoinCall.Slot<Object> slot : slots) {
            outcomes.add(slot.outcome());
          }
          return outcomes;
        });
    Collections.shuffle(later, random);
    for (Runnable completion : later) {
      assertFalse(call.isDone(), what + ": done before its last branch");
      completion.run();
    }

    List<Outcome<Object>> outcomes = Settle.valueOf(call);
    assertEquals(1, combined.get(), what);
    assertEquals(expected.size(), outcomes.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      Outcome<Object> outcome = outcomes.get(i);
      if (expected.get(i) instanceof Outcome.Failure<Object> failed) {
        assertTrue(outcome instanceof Outcome.Failure<Object>, what + " branch " + i);
        Throwable error = ((Outcome.Failure<Object>) outcome).error();
        assertSame(failed.error().getClass(), error.getClass(), what + " branch " + i);
      } else {
        assertEquals(expected.get(i), outcome, what + " branch " + i);
      }
    }
  }

  private Outcome<Object> expectedOutcome(Kind kind, Object value) {
    return switch (kind) {
      case FAILED, PENDING_FAILING -> Outcome.failure(failure);
      case REJECTED_CALLABLE -> Outcome.failure(new RejectedExecutionException("full"));
      default -> Outcome.success(value);
    };
  }

  /**
   * Attaches a callable its executor rejects. A join has one executor, so the rejecting one is
   * reached through a callable branch of a nested join whose failure this branch then carries:
   * the outer join sees a stage that fails with the rejection once the inner join settles.
   */
  private static JoinCall.Slot<Object> attachRejected(
      JoinCall<List<Outcome<Object>>> call, Executor rejecting) {
    JoinCall<Object> inner = JoinCall.failFast(rejecting, 1);
    JoinCall.Slot<Object> rejected = inner.callable(() -> "never runs", false);
    inner.combine(rejected::value);
    return call.stage(inner, false);
  }
}
