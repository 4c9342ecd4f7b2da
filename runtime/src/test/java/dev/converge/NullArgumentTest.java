package dev.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md section 3.5, null arguments: a null future, callable or supplier is a
 * {@link NullPointerException} at the call, naming the engine's parameter (generated code checks
 * the user's parameter by name before calling the engine).
 */
class NullArgumentTest {

  private final Executor direct = Runnable::run;

  private static <T> CompletionStage<T> nullStage() {
    return null;
  }

  private static <T> Callable<T> nullCallable() {
    return null;
  }

  private static <T> Supplier<CompletionStage<T>> nullSupplier() {
    return null;
  }

  @Test
  void raceRejectsANullStage() {
    RaceCall<UserSource> race = RaceCall.firstCompleted(direct, 2);

    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () -> race.stage(NullArgumentTest.<String>nullStage(), false, UserSource.Cache::new));
    assertEquals("stage", thrown.getMessage());
  }

  @Test
  void raceRejectsANullCallable() {
    RaceCall<UserSource> race = RaceCall.firstCompleted(direct, 2);

    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () ->
                race.callable(NullArgumentTest.<Integer>nullCallable(), false, UserSource.Db::new));
    assertEquals("callable", thrown.getMessage());
  }

  @Test
  void raceRejectsANullSupplier() {
    RaceCall<UserSource> race = RaceCall.firstSuccess(direct, 2);

    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () ->
                race.supplier(
                    NullArgumentTest.<Long>nullSupplier(), false, UserSource.Mirror::new));
    assertEquals("supplier", thrown.getMessage());
  }

  @Test
  void raceRejectsANullCallableEvenWhenAlreadyDecided() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(direct, 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new);

    assertThrows(
        NullPointerException.class,
        () -> race.callable(NullArgumentTest.<Integer>nullCallable(), false, UserSource.Db::new));
  }

  @Test
  void raceRejectsANullStageEvenWhenAlreadyDecided() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(direct, 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new);

    assertThrows(
        NullPointerException.class,
        () -> race.stage(NullArgumentTest.<Integer>nullStage(), false, UserSource.Db::new));
  }

  @Test
  void raceRejectsANullSupplierEvenWhenAlreadyDecided() {
    RaceCall<UserSource> race =
        RaceCall.<UserSource>firstCompleted(direct, 2)
            .stage(CompletableFuture.completedFuture("ann"), false, UserSource.Cache::new);

    assertThrows(
        NullPointerException.class,
        () -> race.supplier(NullArgumentTest.<Integer>nullSupplier(), false, UserSource.Db::new));
  }

  @Test
  void joinRejectsANullStage() {
    JoinCall<Enriched> call = JoinCall.failFast(direct, 2);

    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () -> call.stage(NullArgumentTest.<String>nullStage(), false));
    assertEquals("stage", thrown.getMessage());
  }

  @Test
  void joinRejectsANullCallable() {
    JoinCall<Enriched> call = JoinCall.settleAll(direct, 2);

    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () -> call.callable(NullArgumentTest.<Long>nullCallable(), false));
    assertEquals("callable", thrown.getMessage());
  }

  @Test
  void joinRejectsANullSupplier() {
    JoinCall<Enriched> call = JoinCall.failFast(direct, 2);

    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () -> call.supplier(NullArgumentTest.<Long>nullSupplier(), false));
    assertEquals("supplier", thrown.getMessage());
  }

  @Test
  void joinRejectsANullCombiner() {
    JoinCall<Enriched> call = JoinCall.failFast(direct, 1);
    call.stage(CompletableFuture.completedFuture("ann"), false);

    assertThrows(NullPointerException.class, () -> call.combine(null));
  }

  @Test
  void raceRejectsANullExecutor() {
    NullPointerException thrown =
        assertThrows(NullPointerException.class, () -> RaceCall.firstCompleted(null, 2));
    assertEquals("executor", thrown.getMessage());
  }

  @Test
  void joinRejectsANullExecutor() {
    NullPointerException thrown =
        assertThrows(NullPointerException.class, () -> JoinCall.settleAll(null, 2));
    assertEquals("executor", thrown.getMessage());
  }
}
