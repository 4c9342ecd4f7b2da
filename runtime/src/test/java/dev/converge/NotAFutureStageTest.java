package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5: a {@link CompletionStage} that cannot be cancelled is left alone,
 * while the other losers are still cancelled. Two shapes:
 * {@link CompletableFuture#minimalCompletionStage()}, which is a {@code Future} whose every
 * {@code Future} method throws {@link UnsupportedOperationException}, and a stage that is no
 * {@code Future} at all.
 */
class NotAFutureStageTest {

  private final TestPool pool = new TestPool("not-a-future", 2);

  @AfterEach
  void shutDownPool() throws InterruptedException {
    pool.shutdown();
  }

  /** A stage that only implements {@link CompletionStage}, backed by {@code backing}. */
  @SuppressWarnings("unchecked") // the proxy implements exactly CompletionStage
  private static <T> CompletionStage<T> plainStage(CompletableFuture<T> backing) {
    return (CompletionStage<T>)
        Proxy.newProxyInstance(
            NotAFutureStageTest.class.getClassLoader(),
            new Class<?>[] {CompletionStage.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(backing, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void minimalStageLoserIsLeftAloneAndTheOtherLosersAreStillCancelled()
      throws InterruptedException {
    CompletableFuture<String> backing = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    CompletableFuture<Long> mirror = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 3)
            .stage(backing.minimalCompletionStage(), false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new)
            .stage(mirror, false, UserSource.Mirror::new);

    db.complete(7);

    assertEquals(new UserSource.Db(7), Settle.valueOf(race));
    assertFalse(backing.isDone());
    assertTrue(mirror.isCancelled());
  }

  @Test
  void minimalStageAttachedAfterTheRaceIsDecidedIsLeftAlone() throws InterruptedException {
    CompletableFuture<Integer> backing = new CompletableFuture<>();

    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new)
            .stage(backing.minimalCompletionStage(), false, UserSource.Db::new);

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
    assertFalse(backing.isDone());
  }

  @Test
  void minimalStageIsLeftAloneWhenTheJoinIsCancelled() {
    CompletableFuture<String> backing = new CompletableFuture<>();
    CompletableFuture<Long> count = new CompletableFuture<>();
    JoinCall<Enriched> call = JoinCall.failFast(pool.executor(), 2);
    JoinCall.Slot<String> u = call.stage(backing.minimalCompletionStage(), false);
    JoinCall.Slot<Long> n = call.stage(count, false);
    call.combine(() -> new Enriched(u.value(), n.value()));

    assertTrue(call.cancel(true));

    assertFalse(backing.isDone());
    assertTrue(count.isCancelled());
  }

  @Test
  void minimalStageWinsWithItsVariant() throws InterruptedException {
    CompletableFuture<String> backing = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(backing.minimalCompletionStage(), false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);

    backing.complete("ann");

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
    assertTrue(db.isCancelled());
  }

  @Test
  void stageThatIsNotAFutureIsLeftAloneWhenItLoses() throws InterruptedException {
    CompletableFuture<String> backing = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(plainStage(backing), false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);

    db.complete(7);

    assertEquals(new UserSource.Db(7), Settle.valueOf(race));
    assertFalse(backing.isDone());
  }

  @Test
  void stageThatIsNotAFutureWinsWithItsVariant() throws InterruptedException {
    CompletableFuture<String> backing = new CompletableFuture<>();
    CompletableFuture<Integer> db = new CompletableFuture<>();
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(pool.executor(), 2)
            .stage(plainStage(backing), false, UserSource.Cache::new)
            .stage(db, false, UserSource.Db::new);

    backing.complete("ann");

    assertEquals(new UserSource.Cache("ann"), Settle.valueOf(race));
    assertTrue(db.isCancelled());
  }
}
