package dev.converge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs a few actions at the same moment: each waits at a {@link CyclicBarrier} and then runs, the
 * first on the calling thread and the others on a pool. Stress tests call it thousands of times so
 * that every interleaving of the actions' effects gets its chance.
 */
final class SimultaneousStart {
  private final TestPool pool;

  /** {@code pool} needs a thread for every action but the first. */
  SimultaneousStart(TestPool pool) {
    this.pool = pool;
  }

  /**
   * Runs every action at once and returns what each returned, in order, once all have returned.
   */
  boolean[] run(BooleanSupplier... actions) throws InterruptedException {
    CyclicBarrier barrier = new CyclicBarrier(actions.length);
    List<Future<Boolean>> others = new ArrayList<>(actions.length - 1);
    for (int i = 1; i < actions.length; i++) {
      BooleanSupplier action = actions[i];
      others.add(
          pool.executor()
              .submit(
                  () -> {
                    barrier.await(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return action.getAsBoolean();
                  }));
    }
    boolean[] results = new boolean[actions.length];
    try {
      barrier.await(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      results[0] = actions[0].getAsBoolean();
      for (int i = 1; i < actions.length; i++) {
        results[i] = others.get(i - 1).get(TestPool.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (BrokenBarrierException | TimeoutException | ExecutionException e) {
      throw new AssertionError("a simultaneous action failed or hung", e);
    }
    return results;
  }
}
