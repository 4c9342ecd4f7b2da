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
 * Races and joins of six lookups of six types (String, Integer, Long, Double, Boolean, Character):
 * Converge's generated code, hand-written {@code anyOf}/{@code allOf} mapped to typed results, and
 * Reactor's {@code firstWithSignal}/{@code zip}.
 *
 * <p>{@code completed*}: all six inputs are already complete. {@code late*}: six new incomplete
 * futures are created and wired; the race then completes the count lookup (Converge and Reactor
 * cancel the five losers, {@code anyOf} leaves them running), the join completes all six.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SixBranchBenchmark {

  private final SixLookups lookups = ConvergeSixLookups.create();
  private final HandSix.Inputs done = HandSix.Inputs.completed();

  /**
   * Converge {@code @Race} over six completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public SixFastest completedRaceConverge() {
    return lookups
        .fastest(done.name, done.count, done.total, done.ratio, done.active, done.grade)
        .join();
  }

  /**
   * Typed {@code anyOf} over six completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public HandSix.Fastest completedRaceAnyOf() {
    return HandSix.anyOf(done).join();
  }

  /**
   * Reactor {@code Mono.firstWithSignal} over six completed inputs.
   *
   * @return the winner
   */
  @Benchmark
  public HandSix.Fastest completedRaceReactorFirstWithSignal() {
    return WithReactor.firstWithSignal(done).join();
  }

  /**
   * Converge {@code @Join} over six completed inputs.
   *
   * @return the six values
   */
  @Benchmark
  public SixProfile completedJoinConverge() {
    return lookups
        .profile(done.name, done.count, done.total, done.ratio, done.active, done.grade)
        .join();
  }

  /**
   * {@code allOf} over six completed inputs.
   *
   * @return the six values
   */
  @Benchmark
  public HandSix.Profile completedJoinAllOf() {
    return HandSix.allOf(done).join();
  }

  /**
   * Reactor {@code Mono.zip} over six completed inputs.
   *
   * @return the six values
   */
  @Benchmark
  public HandSix.Profile completedJoinReactorZip() {
    return WithReactor.zip(done).join();
  }

  /**
   * Converge {@code @Race} over six late inputs; the five losers are cancelled.
   *
   * @return the winner
   */
  @Benchmark
  public SixFastest lateRaceConverge() {
    HandSix.Inputs in = HandSix.Inputs.late();
    CompletableFuture<SixFastest> result =
        lookups.fastest(in.name, in.count, in.total, in.ratio, in.active, in.grade);
    in.count.complete(42);
    return result.join();
  }

  /**
   * Typed {@code anyOf} over six late inputs; the losers keep running.
   *
   * @return the winner
   */
  @Benchmark
  public HandSix.Fastest lateRaceAnyOf() {
    HandSix.Inputs in = HandSix.Inputs.late();
    CompletableFuture<HandSix.Fastest> result = HandSix.anyOf(in);
    in.count.complete(42);
    return result.join();
  }

  /**
   * Reactor {@code Mono.firstWithSignal} over six late inputs; the losers are cancelled.
   *
   * @return the winner
   */
  @Benchmark
  public HandSix.Fastest lateRaceReactorFirstWithSignal() {
    HandSix.Inputs in = HandSix.Inputs.late();
    CompletableFuture<HandSix.Fastest> result = WithReactor.firstWithSignal(in);
    in.count.complete(42);
    return result.join();
  }

  /**
   * Converge {@code @Join} over six late inputs.
   *
   * @return the six values
   */
  @Benchmark
  public SixProfile lateJoinConverge() {
    HandSix.Inputs in = HandSix.Inputs.late();
    CompletableFuture<SixProfile> result =
        lookups.profile(in.name, in.count, in.total, in.ratio, in.active, in.grade);
    in.completeAll();
    return result.join();
  }

  /**
   * {@code allOf} over six late inputs.
   *
   * @return the six values
   */
  @Benchmark
  public HandSix.Profile lateJoinAllOf() {
    HandSix.Inputs in = HandSix.Inputs.late();
    CompletableFuture<HandSix.Profile> result = HandSix.allOf(in);
    in.completeAll();
    return result.join();
  }

  /**
   * Reactor {@code Mono.zip} over six late inputs.
   *
   * @return the six values
   */
  @Benchmark
  public HandSix.Profile lateJoinReactorZip() {
    HandSix.Inputs in = HandSix.Inputs.late();
    CompletableFuture<HandSix.Profile> result = WithReactor.zip(in);
    in.completeAll();
    return result.join();
  }
}
