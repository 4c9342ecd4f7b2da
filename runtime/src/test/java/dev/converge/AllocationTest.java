package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Bounds the bytes a race or join allocates, measured with the thread's allocation counter over a
 * loop of calls (see {@link AllocatedBytes}); never time. The bounds hold whether or not the JIT
 * has compiled the engine yet: they count what the engine creates, which the interpreter allocates
 * too, and the JIT can only remove.
 */
class AllocationTest {

  private static final int CALLS = 20_000;

  /** Tolerance per call for the counter's own noise; any extra object would cost 16 bytes or more. */
  private static final double NOISE = 2.0;

  private final CountingExecutor executor = new CountingExecutor(Runnable::run);
  private final CompletableFuture<String> cache = CompletableFuture.completedFuture("ann");
  private final CompletableFuture<Integer> db = CompletableFuture.completedFuture(2);
  private final CompletableFuture<Long> mirror = CompletableFuture.completedFuture(3L);
  private final CompletableFuture<Long> count = CompletableFuture.completedFuture(2L);

  /** Keeps each result reachable for a moment, so the loop cannot be dropped as dead code. */
  private Object sink;

  @Test
  void raceOverCompletedInputsAllocatesNoMoreThanTheResultAndTheVariant() {
    double race = AllocatedBytes.sizeOf(i -> RaceCall.<UserSource>firstCompleted(executor, 3));
    double variant = AllocatedBytes.sizeOf(i -> new UserSource.Cache("ann"));

    double perCall =
        AllocatedBytes.perCall(
            CALLS,
            i ->
                sink =
                    RaceCall.<UserSource>firstCompleted(executor, 3)
                        .firstStage(cache, false, UserSource.Cache::new)
                        .stage(db, false, UserSource.Db::new)
                        .stage(mirror, false, UserSource.Mirror::new)
                        .join());

    assertEquals(new UserSource.Cache("ann"), sink);
    assertTrue(
        perCall <= race + variant + NOISE,
        "a race over completed inputs allocated "
            + perCall
            + " bytes per call; the result ("
            + race
            + ") and the variant ("
            + variant
            + ") take "
            + (race + variant));
  }

  @Test
  void firstSuccessRaceOverCompletedInputsAllocatesNoMoreThanTheResultAndTheVariant() {
    double race = AllocatedBytes.sizeOf(i -> RaceCall.<UserSource>firstSuccess(executor, 3));
    double variant = AllocatedBytes.sizeOf(i -> new UserSource.Cache("ann"));

    double perCall =
        AllocatedBytes.perCall(
            CALLS,
            i ->
                sink =
                    RaceCall.<UserSource>firstSuccess(executor, 3)
                        .firstStage(cache, false, UserSource.Cache::new)
                        .stage(db, false, UserSource.Db::new)
                        .stage(mirror, false, UserSource.Mirror::new)
                        .join());

    assertEquals(new UserSource.Cache("ann"), sink);
    assertTrue(
        perCall <= race + variant + NOISE,
        "a FIRST_SUCCESS race over completed inputs "
            + "allocated "
            + perCall
            + " bytes per call; the result and the variant take "
            + (race + variant));
  }

  @Test
  void joinOverCompletedInputsAllocatesNoMoreThanTheResultTheSlotsTheCombinerAndTheRecord() {
    // The slots and the combiner are what generated code holds on to (JoinCall.Slot, a lambda
    // reading them); beyond them the join itself adds only the result future.
    JoinCall<Enriched> sample = JoinCall.failFast(executor, 2);
    JoinCall.Slot<String> a = new JoinCall.Slot<>(sample, null);
    JoinCall.Slot<Long> b = new JoinCall.Slot<>(sample, null);
    double join = AllocatedBytes.sizeOf(i -> JoinCall.<Enriched>failFast(executor, 2));
    double slot = AllocatedBytes.sizeOf(i -> new JoinCall.Slot<String>(sample, null));
    double combiner =
        AllocatedBytes.sizeOf(i -> (Supplier<Enriched>) () -> new Enriched(a.value(), b.value()));
    double record = AllocatedBytes.sizeOf(i -> new Enriched("ann", 2L));
    double bound = join + 2 * slot + combiner + record;

    double perCall =
        AllocatedBytes.perCall(
            CALLS,
            i -> {
              JoinCall<Enriched> call = JoinCall.failFast(executor, 2);
              JoinCall.Slot<String> user = call.stage(cache, false);
              JoinCall.Slot<Long> orders = call.stage(count, false);
              sink = call.combine(() -> new Enriched(user.value(), orders.value())).join();
            });

    assertEquals(new Enriched("ann", 2L), sink);
    assertTrue(
        perCall <= bound + NOISE,
        "a join over completed inputs allocated "
            + perCall
            + " bytes per call; result, slots, combiner and record take "
            + bound);
  }

  @Test
  void completedJoinAllocatesNoMoreThanTheResultTheCombinerAndTheRecord() {
    // What generated code does for a join whose inputs have all completed: no join, no slots.
    double result = AllocatedBytes.sizeOf(i -> CompletableFuture.completedFuture("ann"));
    double combiner =
        AllocatedBytes.sizeOf(
            i ->
                (Supplier<Enriched>)
                    () ->
                        new Enriched(CompletedJoin.valueNow(cache), CompletedJoin.valueNow(count)));
    double record = AllocatedBytes.sizeOf(i -> new Enriched("ann", 2L));
    double bound = result + combiner + record;

    double perCall =
        AllocatedBytes.perCall(
            CALLS,
            i -> {
              assertTrue(
                  CompletedJoin.completedNormally(cache) && CompletedJoin.completedNormally(count));
              sink =
                  CompletedJoin.of(
                          () ->
                              new Enriched(
                                  CompletedJoin.valueNow(cache), CompletedJoin.valueNow(count)))
                      .join();
            });

    assertEquals(new Enriched("ann", 2L), sink);
    assertTrue(
        perCall <= bound + NOISE,
        "a completed join allocated "
            + perCall
            + " bytes per call; result, combiner and record take "
            + bound);
  }

  @Test
  void decidedRaceAllocatesNothingWhenALateBranchArrives() {
    int rounds = 6;
    CompletableFuture<?>[][] late = new CompletableFuture<?>[rounds][CALLS];
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < CALLS; i++) {
        // The kept branch is attached first, so its callback is registered; the completed one
        // then decides the race.
        CompletableFuture<String> kept = new CompletableFuture<>();
        RaceCall<UserSource> race =
            RaceCall.<UserSource>firstCompleted(executor, 2)
                .stage(kept, true, UserSource.Cache::new)
                .stage(db, false, UserSource.Db::new);
        assertEquals(new UserSource.Db(2), race.getNow(null));
        late[round][i] = kept;
      }
    }
    int[] round = {0};

    double perArrival =
        AllocatedBytes.perCall(
            CALLS,
            i -> {
              @SuppressWarnings("unchecked")
              CompletableFuture<String> kept = (CompletableFuture<String>) late[round[0]][i];
              kept.complete("late");
              if (i == CALLS - 1) {
                round[0]++;
              }
            });

    assertTrue(
        perArrival < 1.0,
        "a late branch of a decided race allocated " + perArrival + " bytes per arrival");
  }

  @Test
  void failedJoinAllocatesNothingWhenALateBranchArrives() {
    int rounds = 6;
    IllegalStateException failure = new IllegalStateException("user lookup failed");
    CompletableFuture<?>[][] late = new CompletableFuture<?>[rounds][CALLS];
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < CALLS; i++) {
        CompletableFuture<Long> kept = new CompletableFuture<>();
        CompletableFuture<String> user = new CompletableFuture<>();
        JoinCall<Enriched> call = JoinCall.failFast(executor, 2);
        JoinCall.Slot<String> u = call.stage(user, false);
        JoinCall.Slot<Long> n = call.stage(kept, true);
        call.combine(() -> new Enriched(u.value(), n.value()));
        user.completeExceptionally(failure);
        assertTrue(call.isCompletedExceptionally());
        late[round][i] = kept;
      }
    }
    int[] round = {0};

    double perArrival =
        AllocatedBytes.perCall(
            CALLS,
            i -> {
              @SuppressWarnings("unchecked")
              CompletableFuture<Long> kept = (CompletableFuture<Long>) late[round[0]][i];
              kept.complete(7L);
              if (i == CALLS - 1) {
                round[0]++;
              }
            });

    assertTrue(
        perArrival < 1.0,
        "a late branch of a failed join allocated " + perArrival + " bytes per arrival");
  }
}
