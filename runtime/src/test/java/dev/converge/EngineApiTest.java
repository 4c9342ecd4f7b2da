package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * What the engine's public API lets a caller do: read a join slot, but never settle a branch, and
 * pick a race's or join's mode at run time.
 */
class EngineApiTest {

  private final CountingExecutor executor = new CountingExecutor(Runnable::run);

  @Test
  void slotIsNoCallbackAnyCallerCouldSettleABranchWith() {
    assertFalse(
        BiFunction.class.isAssignableFrom(JoinCall.Slot.class),
        "a Slot must not be a BiFunction whose apply settles its branch");
    Set<String> publicMethods = new TreeSet<>();
    for (Method method : JoinCall.Slot.class.getMethods()) {
      if (method.getDeclaringClass() != Object.class && Modifier.isPublic(method.getModifiers())) {
        publicMethods.add(method.getName());
      }
    }
    assertEquals(Set.of("outcome", "value"), publicMethods);
    assertEquals(0, JoinCall.Slot.class.getConstructors().length, "slots are made by the engine");
  }

  @Test
  void slotReturnedForAPendingBranchIsNoCallbackEither() {
    JoinCall<Enriched> call = JoinCall.failFast(executor, 2);
    Object slot = call.stage(new CompletableFuture<String>(), false);

    assertFalse(slot instanceof BiFunction, slot.getClass().getName());
    assertEquals(JoinCall.Slot.class, slot.getClass());
  }

  @Test
  void raceOfWithFirstSuccessModeBehavesAsFirstSuccess() throws InterruptedException {
    IOException failure = new IOException("cache down");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>of(Race.Mode.FIRST_SUCCESS, executor, 2)
            .stage(CompletableFuture.failedFuture(failure), false, UserSource.Cache::new)
            .stage(CompletableFuture.completedFuture(3), false, UserSource.Db::new);

    assertEquals(new UserSource.Db(3), Settle.valueOf(race));
  }

  @Test
  void raceOfWithFirstCompletedModeBehavesAsFirstCompleted() throws InterruptedException {
    IOException failure = new IOException("cache down");
    RaceCall<UserSource> race =
        RaceCall.<UserSource>of(Race.Mode.FIRST_COMPLETED, executor, 2)
            .stage(CompletableFuture.failedFuture(failure), false, UserSource.Cache::new)
            .stage(CompletableFuture.completedFuture(3), false, UserSource.Db::new);

    assertEquals(failure, Settle.failureOf(race));
  }

  @Test
  void modesOfTheFactoriesCoverEveryAnnotationMode() {
    // of() must accept every mode the annotations offer; a new mode would need a new factory.
    for (Race.Mode mode : Race.Mode.values()) {
      assertInstanceOf(RaceCall.class, RaceCall.of(mode, executor, 1));
    }
    for (Join.Mode mode : Join.Mode.values()) {
      assertInstanceOf(JoinCall.class, JoinCall.of(mode, executor, 1));
    }
  }
}
