package dev.converge.bench;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchChannel;
import dev.converge.batch.BatchIterator;
import dev.converge.batch.BatchMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Batching throughput across threads: one producer thread emits {@value #ITEMS} boxed integers (each
 * a fresh box, outside the {@code Integer} cache), the benchmark thread consumes them as batches of
 * at most {@value #MAX_SIZE}, lingering at most 10 ms, with 2 batches prefetched. Scores are items
 * per second; with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per item on both threads,
 * the item's own 16-byte box included.
 *
 * <ul>
 *   <li>{@code converge}: {@link BatchIterator} over a {@link BatchChannel} of capacity {@value
 *       #MAX_SIZE}; the producer uses {@code trySend}, and waits on {@code send} when full. No
 *       metrics listener: what it costs is compared with {@code convergeWithMetrics}.
 *   <li>{@code convergeSendJoin}: the same, the producer calling {@code
 *       send(item).toCompletableFuture().join()} for every item, as blocking producers are written.
 *   <li>{@code convergePut}: the same, the producer calling the blocking {@code put(item)}.
 *   <li>{@code convergeWithMetrics}: the same, with a metrics listener that only reads each report, so
 *       the iterator reads the clock and makes one report per batch (the listener's own work
 *       excluded).
 *   <li>{@code reactorBufferTimeout} / {@code reactorBufferTimeoutFair}: {@code Flux.generate} on the
 *       producer thread ({@code subscribeOn}), {@code bufferTimeout(256, 10ms[, true])}, consumed with
 *       {@code toIterable(2)}. The non-fair operator may fail with an {@code OverflowException} when
 *       its timer fires without downstream demand; such an invocation ends there and is counted in
 *       the {@code overflows} counter instead of crashing the run (its items/s is then meaningless).
 *   <li>{@code arrayBlockingQueue}: the hand-off limit; {@code put} on the producer, {@code take}
 *       plus {@code drainTo} into batches of at most 256 on the consumer, no linger.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BatchingBenchmark {

  static final int ITEMS = 1 << 16;
  static final int MAX_SIZE = 256;
  static final Duration MAX_WAIT = Duration.ofMillis(10);
  static final int PREFETCH = 2;

  /** Added to every item so that each box is a new object, as real messages are. */
  static final int OUTSIDE_BOX_CACHE = 1_000;

  /** The ArrayBlockingQueue's end-of-stream marker, compared by identity. */
  @SuppressWarnings("removal")
  static final Integer END = new Integer(-1);

  private ExecutorService producer;
  private Scheduler reactorProducer;

  /** Per-iteration counters JMH reports beside the score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Failures {
    /** Invocations that ended with Reactor's OverflowException. */
    public long overflows;

    /** Resets the counter for the next iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      overflows = 0;
    }
  }

  /** Starts the producer thread, kept alive so that its allocations are counted. */
  @Setup(Level.Trial)
  public void startProducer() {
    producer = Executors.newSingleThreadExecutor();
    reactorProducer = Schedulers.fromExecutorService(producer, "producer");
  }

  /** Stops the producer thread. */
  @TearDown(Level.Trial)
  public void stopProducer() {
    reactorProducer.dispose();
    producer.shutdownNow();
  }

  /**
   * Converge's BatchIterator over a BatchChannel.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if the producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long converge(Blackhole blackhole) throws ExecutionException, InterruptedException {
    return convergeWith(BatchMetrics.NOOP, blackhole);
  }

  /**
   * The same, with a metrics listener that only reads each report.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if the producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long convergeWithMetrics(Blackhole blackhole)
      throws ExecutionException, InterruptedException {
    return convergeWith(report -> blackhole.consume(report.size()), blackhole);
  }

  private long convergeWith(BatchMetrics metrics, Blackhole blackhole)
      throws ExecutionException, InterruptedException {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches =
        BatchIterator.builder(channel)
            .maxSize(MAX_SIZE)
            .maxWait(MAX_WAIT)
            .prefetch(PREFETCH)
            .metrics(metrics)
            .build();
    Future<?> producing =
        producer.submit(
            () -> {
              for (int i = 0; i < ITEMS; i++) {
                Integer item = Integer.valueOf(i + OUTSIDE_BOX_CACHE);
                if (!channel.trySend(item)) {
                  channel.send(item).toCompletableFuture().join();
                }
              }
              channel.complete();
            });
    long received = 0;
    for (Optional<Batch<Integer>> batch = batches.next().join();
        batch.isPresent();
        batch = batches.next().join()) {
      received += batch.get().items().size();
      blackhole.consume(batch.get().items());
    }
    producing.get();
    return checked(received);
  }

  /**
   * Converge's BatchIterator over a BatchChannel, with the producer written as users write a
   * blocking producer: {@code send(item).toCompletableFuture().join()} for every item.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if the producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long convergeSendJoin(Blackhole blackhole)
      throws ExecutionException, InterruptedException {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches = batchesOf(channel);
    Future<?> producing =
        producer.submit(
            () -> {
              for (int i = 0; i < ITEMS; i++) {
                channel.send(Integer.valueOf(i + OUTSIDE_BOX_CACHE)).toCompletableFuture().join();
              }
              channel.complete();
            });
    return drain(batches, producing, blackhole);
  }

  /**
   * Converge's BatchIterator over a BatchChannel, the producer calling the blocking {@code put}.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if the producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long convergePut(Blackhole blackhole) throws ExecutionException, InterruptedException {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches = batchesOf(channel);
    Future<?> producing =
        producer.submit(
            () -> {
              for (int i = 0; i < ITEMS; i++) {
                channel.put(Integer.valueOf(i + OUTSIDE_BOX_CACHE));
              }
              channel.complete();
              return null;
            });
    return drain(batches, producing, blackhole);
  }

  /**
   * Reactor's bufferTimeout in its default (non-fair) mode.
   *
   * @param blackhole sink for the batches
   * @param failures counts OverflowExceptions
   * @return the number of items received
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long reactorBufferTimeout(Blackhole blackhole, Failures failures) {
    try {
      return consume(generate().bufferTimeout(MAX_SIZE, MAX_WAIT), blackhole);
    } catch (RuntimeException e) {
      if (Exceptions.isOverflow(Exceptions.unwrap(e))) {
        failures.overflows++;
        return -1;
      }
      throw e;
    }
  }

  /**
   * Reactor's bufferTimeout with fair backpressure.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long reactorBufferTimeoutFair(Blackhole blackhole) {
    return consume(generate().bufferTimeout(MAX_SIZE, MAX_WAIT, true), blackhole);
  }

  /**
   * The hand-off limit: an ArrayBlockingQueue drained into batches.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if the producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long arrayBlockingQueue(Blackhole blackhole)
      throws ExecutionException, InterruptedException {
    ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>((PREFETCH + 1) * MAX_SIZE);
    Future<?> producing =
        producer.submit(
            () -> {
              for (int i = 0; i < ITEMS; i++) {
                queue.put(Integer.valueOf(i + OUTSIDE_BOX_CACHE));
              }
              queue.put(END);
              return null;
            });
    long received = 0;
    boolean ended = false;
    while (!ended) {
      List<Integer> batch = new ArrayList<>(MAX_SIZE);
      batch.add(queue.take());
      queue.drainTo(batch, MAX_SIZE - 1);
      if (batch.get(batch.size() - 1) == END) {
        batch.remove(batch.size() - 1);
        ended = true;
      }
      received += batch.size();
      blackhole.consume(batch);
    }
    producing.get();
    return checked(received);
  }

  static BatchIterator<Integer> batchesOf(BatchChannel<Integer> channel) {
    return BatchIterator.builder(channel)
        .maxSize(MAX_SIZE)
        .maxWait(MAX_WAIT)
        .prefetch(PREFETCH)
        .build();
  }

  /** Consumes every batch, then waits for the producers; returns the items received. */
  static long drain(BatchIterator<Integer> batches, Future<?> producing, Blackhole blackhole)
      throws ExecutionException, InterruptedException {
    long received = 0;
    for (Optional<Batch<Integer>> batch = batches.next().join();
        batch.isPresent();
        batch = batches.next().join()) {
      received += batch.get().items().size();
      blackhole.consume(batch.get().items());
    }
    producing.get();
    return checked(received);
  }

  /** A backpressured producer on the producer thread: emits only what is requested. */
  private Flux<Integer> generate() {
    return Flux.<Integer, int[]>generate(
            () -> new int[1],
            (next, sink) -> {
              int i = next[0]++;
              if (i == ITEMS) {
                sink.complete();
              } else {
                sink.next(Integer.valueOf(i + OUTSIDE_BOX_CACHE));
              }
              return next;
            })
        .subscribeOn(reactorProducer);
  }

  private static long consume(Flux<List<Integer>> batches, Blackhole blackhole) {
    long received = 0;
    for (List<Integer> batch : batches.toIterable(PREFETCH)) {
      received += batch.size();
      blackhole.consume(batch);
    }
    return checked(received);
  }

  /** Returns {@code received}, or fails the invocation if it is not {@value #ITEMS}. */
  static long checked(long received) {
    if (received != ITEMS) {
      throw new IllegalStateException("received " + received + " items, expected " + ITEMS);
    }
    return received;
  }
}
