package dev.converge.bench;

import dev.converge.ConvergeExecutors;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The blocking form of a race and a join, called on a virtual thread, against the hand-written
 * blocking equivalent: {@code anyOf(...).get()} and {@code thenCombine(...).get()}. Each operation
 * starts one task on {@link ConvergeExecutors#defaultExecutor()} (one new virtual thread per task
 * on JDK 21+; a pooled platform thread on 17-20, where this benchmark measures that instead), which
 * calls the blocking method, and waits for the task; both contenders pay the same thread start.
 *
 * <p>{@code completed*}: the three inputs are already complete, so the blocking call returns
 * without parking. {@code late*}: the inputs are created incomplete, the task is started, and the
 * benchmark thread then completes the count lookup (race) or all three (join); the task parks until
 * then unless it starts late, which the scheduler decides alike for both contenders.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class VirtualThreadBenchmark {

  private final Executor threads = ConvergeExecutors.defaultExecutor();
  private final BlockingLookups lookups = ConvergeBlockingLookups.create();
  private final CompletableFuture<String> name = CompletableFuture.completedFuture("ada");
  private final CompletableFuture<Integer> count = CompletableFuture.completedFuture(42);
  private final CompletableFuture<Long> total = CompletableFuture.completedFuture(7L);

  /**
   * Converge's blocking {@code @Race} over completed inputs, on a virtual thread.
   *
   * @return the winner
   */
  @Benchmark
  public Winner completedRaceConverge() {
    return onThread(() -> lookups.fastest(name, count, total)).join();
  }

  /**
   * Hand-written typed {@code anyOf(...).get()} over completed inputs, on a virtual thread.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest completedRaceAnyOfGet() {
    return onThread(() -> HandWritten.anyOf(name, count, total).get()).join();
  }

  /**
   * Converge's blocking {@code @Join} over completed inputs, on a virtual thread.
   *
   * @return the three values
   */
  @Benchmark
  public Joined completedJoinConverge() {
    return onThread(() -> lookups.profile(name, count, total)).join();
  }

  /**
   * Hand-written {@code thenCombine(...).get()} over completed inputs, on a virtual thread.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile completedJoinThenCombineGet() {
    return onThread(() -> HandWritten.thenCombine(name, count, total).get()).join();
  }

  /**
   * Converge's blocking {@code @Race} over late inputs, on a virtual thread; the losers are
   * cancelled.
   *
   * @return the winner
   */
  @Benchmark
  public Winner lateRaceConverge() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<String> slowName = new CompletableFuture<>();
    CompletableFuture<Long> slowTotal = new CompletableFuture<>();
    CompletableFuture<Winner> result = onThread(() -> lookups.fastest(slowName, late, slowTotal));
    late.complete(42);
    return result.join();
  }

  /**
   * Hand-written typed {@code anyOf(...).get()} over late inputs, on a virtual thread; the losers
   * keep running.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest lateRaceAnyOfGet() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<String> slowName = new CompletableFuture<>();
    CompletableFuture<Long> slowTotal = new CompletableFuture<>();
    CompletableFuture<HandFastest> result =
        onThread(() -> HandWritten.anyOf(slowName, late, slowTotal).get());
    late.complete(42);
    return result.join();
  }

  /**
   * Converge's blocking {@code @Join} over late inputs, on a virtual thread.
   *
   * @return the three values
   */
  @Benchmark
  public Joined lateJoinConverge() {
    CompletableFuture<String> lateName = new CompletableFuture<>();
    CompletableFuture<Integer> lateCount = new CompletableFuture<>();
    CompletableFuture<Long> lateTotal = new CompletableFuture<>();
    CompletableFuture<Joined> result =
        onThread(() -> lookups.profile(lateName, lateCount, lateTotal));
    lateName.complete("ada");
    lateCount.complete(42);
    lateTotal.complete(7L);
    return result.join();
  }

  /**
   * Hand-written {@code thenCombine(...).get()} over late inputs, on a virtual thread.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile lateJoinThenCombineGet() {
    CompletableFuture<String> lateName = new CompletableFuture<>();
    CompletableFuture<Integer> lateCount = new CompletableFuture<>();
    CompletableFuture<Long> lateTotal = new CompletableFuture<>();
    CompletableFuture<HandProfile> result =
        onThread(() -> HandWritten.thenCombine(lateName, lateCount, lateTotal).get());
    lateName.complete("ada");
    lateCount.complete(42);
    lateTotal.complete(7L);
    return result.join();
  }

  /** Runs a blocking call as one task on the default executor. */
  private <T> CompletableFuture<T> onThread(Callable<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (Exception e) { // InterruptedException, ExecutionException: never thrown here
            throw new CompletionException(e);
          }
        },
        threads);
  }
}
