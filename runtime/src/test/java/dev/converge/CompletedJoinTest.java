package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The path generated code takes for a join whose inputs have all completed: it must accept only
 * what it can read without the engine, and give the result {@link JoinCall#combine} would.
 */
class CompletedJoinTest {

  @Test
  void acceptsOnlyAPlainFutureThatCompletedNormally() {
    assertTrue(CompletedJoin.completedNormally(CompletableFuture.completedFuture("ann")));
    assertTrue(CompletedJoin.completedNormally(CompletableFuture.completedFuture(null)));
    assertFalse(CompletedJoin.completedNormally(new CompletableFuture<String>()));
    assertFalse(
        CompletedJoin.completedNormally(
            CompletableFuture.failedFuture(new IllegalStateException("down"))));
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    cancelled.cancel(false);
    assertFalse(CompletedJoin.completedNormally(cancelled));
    // A subclass may override how it reports completion, so it goes through the engine.
    CompletableFuture<String> subclass = new CompletableFuture<>() {};
    subclass.complete("ann");
    assertFalse(CompletedJoin.completedNormally(subclass));
    // A stage that is not a CompletableFuture at all: its state is not readable.
    CompletionStage<String> minimal =
        CompletableFuture.completedFuture("ann").minimalCompletionStage();
    assertFalse(CompletedJoin.completedNormally(minimal));
  }

  @Test
  void readsTheValueAndItsOutcome() {
    CompletableFuture<String> done = CompletableFuture.completedFuture("ann");
    assertEquals("ann", CompletedJoin.valueNow(done));
    assertEquals(new Outcome.Success<>("ann"), CompletedJoin.outcomeNow(done));
    assertEquals(
        new Outcome.Success<>(null),
        CompletedJoin.outcomeNow(CompletableFuture.<String>completedFuture(null)));
  }

  @Test
  void completesWithWhatTheCombinerReturns() {
    CompletableFuture<Enriched> result = CompletedJoin.of(() -> new Enriched("ann", 2L));
    assertEquals(new Enriched("ann", 2L), result.getNow(null));
  }

  @Test
  void failsWithWhatTheCombinerThrowsAsTheEngineDoes() {
    IllegalArgumentException thrown = new IllegalArgumentException("bad record");
    CompletableFuture<Enriched> result =
        CompletedJoin.of(
            () -> {
              throw thrown;
            });
    JoinCall<Enriched> engine = JoinCall.failFast(Runnable::run, 1);
    engine.stage(CompletableFuture.completedFuture("ann"), false);
    engine.combine(
        () -> {
          throw thrown;
        });

    assertTrue(result.isCompletedExceptionally());
    assertSame(thrown, assertThrows(CompletionException.class, result::join).getCause());
    assertSame(thrown, assertThrows(CompletionException.class, engine::join).getCause());
  }

  @Test
  void aCancelledInputIsLeftToTheEngine() {
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    cancelled.cancel(false);
    JoinCall<Enriched> engine = JoinCall.failFast(Runnable::run, 2);
    JoinCall.Slot<String> user = engine.stage(cancelled, false);
    JoinCall.Slot<Long> orders = engine.stage(CompletableFuture.completedFuture(2L), false);
    engine.combine(() -> new Enriched(user.value(), orders.value()));
    assertFalse(CompletedJoin.completedNormally(cancelled));
    assertTrue(engine.isCompletedExceptionally());
    assertThrows(CancellationException.class, engine::join);
  }
}
