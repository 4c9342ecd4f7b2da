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
 * The cost of joining three lookups of different types (String, Integer, Long) into a typed record:
 * Converge's generated code, hand-written {@code allOf} and {@code thenCombine}, and Reactor's
 * {@code Mono.zip}.
 *
 * <p>{@code completed*}: all three inputs (two for {@code *Two}) are already complete.
 * {@code late*}: three new incomplete futures are created, the join is wired, then all three
 * complete and the result is read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JoinBenchmark {

  private final Lookups lookups = ConvergeLookups.create();
  private final CompletableFuture<String> name = CompletableFuture.completedFuture("ada");
  private final CompletableFuture<Integer> count = CompletableFuture.completedFuture(42);
  private final CompletableFuture<Long> total = CompletableFuture.completedFuture(7L);

  /**
   * Converge {@code @Join} over completed inputs.
   *
   * @return the three values
   */
  @Benchmark
  public Profile completedConverge() {
    return lookups.profile(name, count, total).join();
  }

  /**
   * Converge {@code @Join} over two completed inputs: small enough to be inlined into this method.
   *
   * @return the two values
   */
  @Benchmark
  public NameWithCount completedConvergeTwo() {
    return lookups.nameWithCount(name, count).join();
  }

  /**
   * {@code allOf} over two completed inputs.
   *
   * @return the two values
   */
  @Benchmark
  public HandNameWithCount completedAllOfTwo() {
    return HandWritten.allOf(name, count).join();
  }

  /**
   * {@code allOf} over completed inputs.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile completedAllOf() {
    return HandWritten.allOf(name, count, total).join();
  }

  /**
   * Two {@code thenCombine} steps over completed inputs.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile completedThenCombine() {
    return HandWritten.thenCombine(name, count, total).join();
  }

  /**
   * Reactor {@code Mono.zip} over completed inputs.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile completedReactorZip() {
    return WithReactor.zip(name, count, total).join();
  }

  /**
   * Converge {@code @Join} over late inputs.
   *
   * @return the three values
   */
  @Benchmark
  public Profile lateConverge() {
    Late late = new Late();
    CompletableFuture<Profile> result = lookups.profile(late.name, late.count, late.total);
    late.complete();
    return result.join();
  }

  /**
   * {@code allOf} over late inputs.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile lateAllOf() {
    Late late = new Late();
    CompletableFuture<HandProfile> result = HandWritten.allOf(late.name, late.count, late.total);
    late.complete();
    return result.join();
  }

  /**
   * Two {@code thenCombine} steps over late inputs.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile lateThenCombine() {
    Late late = new Late();
    CompletableFuture<HandProfile> result =
        HandWritten.thenCombine(late.name, late.count, late.total);
    late.complete();
    return result.join();
  }

  /**
   * Reactor {@code Mono.zip} over late inputs.
   *
   * @return the three values
   */
  @Benchmark
  public HandProfile lateReactorZip() {
    Late late = new Late();
    CompletableFuture<HandProfile> result = WithReactor.zip(late.name, late.count, late.total);
    late.complete();
    return result.join();
  }

  /** Three lookups that are not complete yet; the same for every contender. */
  private static final class Late {
    final CompletableFuture<String> name = new CompletableFuture<>();
    final CompletableFuture<Integer> count = new CompletableFuture<>();
    final CompletableFuture<Long> total = new CompletableFuture<>();

    void complete() {
      name.complete("ada");
      count.complete(42);
      total.complete(7L);
    }
  }
}
