package dev.converge.bench;

import java.util.concurrent.CompletableFuture;
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
 * The cost of racing three lookups of different types (String, Integer, Long) and getting a typed
 * result: Converge's generated code, hand-written {@code anyOf} mapped back to a sealed interface,
 * and Reactor's {@code firstWithSignal} / {@code firstWithValue}.
 *
 * <p>{@code completed*}: all three inputs are already complete; the cost is wiring plus reading the
 * result. {@code late*}: three new incomplete futures are created, the race is wired, then the
 * count lookup completes and the result is read; Converge and Reactor cancel the two losers, plain
 * {@code anyOf} leaves them running, {@code lateAnyOfCancellingLosers} cancels them by hand, and
 * {@code lateConvergeKeepingLosers} marks every input {@code @Keep} so that nothing is cancelled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RaceBenchmark {

  private final Lookups lookups = ConvergeLookups.create();
  private final CompletableFuture<String> name = CompletableFuture.completedFuture("ada");
  private final CompletableFuture<Integer> count = CompletableFuture.completedFuture(42);
  private final CompletableFuture<Long> total = CompletableFuture.completedFuture(7L);

  /**
   * Converge {@code @Race} over completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public Fastest completedConverge() {
    return lookups.fastest(name, count, total).join();
  }

  /**
   * Converge {@code @Race(FIRST_SUCCESS)} over completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public FirstValue completedConvergeFirstSuccess() {
    return lookups.firstValue(name, count, total).join();
  }

  /**
   * Typed {@code anyOf} over completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest completedAnyOf() {
    return HandWritten.anyOf(name, count, total).join();
  }

  /**
   * Reactor {@code Mono.firstWithSignal} over completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest completedReactorFirstWithSignal() {
    return WithReactor.firstWithSignal(name, count, total).join();
  }

  /**
   * Reactor {@code Mono.firstWithValue} over completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest completedReactorFirstWithValue() {
    return WithReactor.firstWithValue(name, count, total).join();
  }

  /**
   * Converge {@code @Race} over late inputs; the two losers are cancelled.
   *
   * @return the winner
   */
  @Benchmark
  public Fastest lateConverge() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<Fastest> result =
        lookups.fastest(new CompletableFuture<>(), late, new CompletableFuture<>());
    late.complete(42);
    return result.join();
  }

  /**
   * Converge {@code @Race} over late inputs, every input marked {@code @Keep}: nothing is cancelled,
   * like plain {@code anyOf}; the difference to {@link #lateConverge} is the cost of cancelling.
   *
   * @return the winner
   */
  @Benchmark
  public FastestKept lateConvergeKeepingLosers() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<FastestKept> result =
        lookups.fastestKeepingAll(new CompletableFuture<>(), late, new CompletableFuture<>());
    late.complete(42);
    return result.join();
  }

  /**
   * Typed {@code anyOf} over late inputs; the losers keep running.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest lateAnyOf() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<HandFastest> result =
        HandWritten.anyOf(new CompletableFuture<>(), late, new CompletableFuture<>());
    late.complete(42);
    return result.join();
  }

  /**
   * Typed {@code anyOf} over late inputs, cancelling the two losers with {@code cancel(true)}.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest lateAnyOfCancellingLosers() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<HandFastest> result =
        HandWritten.anyOfCancellingLosers(
            new CompletableFuture<>(), late, new CompletableFuture<>());
    late.complete(42);
    return result.join();
  }

  /**
   * Reactor {@code Mono.firstWithSignal} over late inputs; losers' subscriptions (and futures) are
   * cancelled.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest lateReactorFirstWithSignal() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<HandFastest> result =
        WithReactor.firstWithSignal(new CompletableFuture<>(), late, new CompletableFuture<>());
    late.complete(42);
    return result.join();
  }

  /**
   * Reactor {@code Mono.firstWithValue} over late inputs; losers' subscriptions (and futures) are
   * cancelled.
   *
   * @return the winner
   */
  @Benchmark
  public HandFastest lateReactorFirstWithValue() {
    CompletableFuture<Integer> late = new CompletableFuture<>();
    CompletableFuture<HandFastest> result =
        WithReactor.firstWithValue(new CompletableFuture<>(), late, new CompletableFuture<>());
    late.complete(42);
    return result.join();
  }
}
