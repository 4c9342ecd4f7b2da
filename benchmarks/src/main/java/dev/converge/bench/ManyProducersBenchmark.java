package dev.converge.bench;

import static dev.converge.bench.BatchingBenchmark.END;
import static dev.converge.bench.BatchingBenchmark.ITEMS;
import static dev.converge.bench.BatchingBenchmark.MAX_SIZE;
import static dev.converge.bench.BatchingBenchmark.MAX_WAIT;
import static dev.converge.bench.BatchingBenchmark.OUTSIDE_BOX_CACHE;
import static dev.converge.bench.BatchingBenchmark.PREFETCH;
import static dev.converge.bench.BatchingBenchmark.checked;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchChannel;
import dev.converge.batch.BatchIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * Batching with {@value #PRODUCERS} producer threads and one consumer: each producer emits {@value
 * #PER_PRODUCER} fresh boxed integers into one shared hand-off, the benchmark thread consumes them as
 * batches of at most {@value BatchingBenchmark#MAX_SIZE} (maxWait 10 ms, prefetch 2 for Converge).
 * Scores are items per second; with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per item
 * on all threads.
 *
 * <ul>
 *   <li>{@code converge}: {@link BatchIterator} over a {@link BatchChannel} of capacity {@value
 *       BatchingBenchmark#MAX_SIZE}; producers use {@code trySend}, and wait on {@code send} when
 *       full. The last producer to finish completes the channel.
 *   <li>{@code convergePut}: the same, each producer calling the blocking {@code put}.
 *   <li>{@code arrayBlockingQueue}: the same shape by hand, {@code put} on the producers, {@code take}
 *       plus {@code drainTo} into lists of at most 256 on the consumer; the last producer to finish
 *       puts an end marker.
 * </ul>
 *
 * <p>Both hand-offs serialize the producers on one lock; what differs is the work done under it and
 * around it (a lock convoy shows as a collapse of throughput relative to the queue).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ManyProducersBenchmark {

  static final int PRODUCERS = 4;
  static final int PER_PRODUCER = ITEMS / PRODUCERS;

  private ExecutorService producers;

  /** Starts the producer threads, kept alive so that their allocations are counted. */
  @Setup(Level.Trial)
  public void startProducers() {
    producers = Executors.newFixedThreadPool(PRODUCERS);
  }

  /** Stops the producer threads. */
  @TearDown(Level.Trial)
  public void stopProducers() {
    producers.shutdownNow();
  }

  /**
   * Converge's BatchIterator over one BatchChannel fed by every producer.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if a producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long converge(Blackhole blackhole) throws ExecutionException, InterruptedException {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches =
        BatchIterator.builder(channel)
            .maxSize(MAX_SIZE)
            .maxWait(MAX_WAIT)
            .prefetch(PREFETCH)
            .build();
    AtomicInteger running = new AtomicInteger(PRODUCERS);
    List<Future<?>> producing = new ArrayList<>(PRODUCERS);
    for (int p = 0; p < PRODUCERS; p++) {
      int base = p * PER_PRODUCER + OUTSIDE_BOX_CACHE;
      producing.add(
          producers.submit(
              () -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                  Integer item = Integer.valueOf(base + i);
                  if (!channel.trySend(item)) {
                    channel.send(item).toCompletableFuture().join();
                  }
                }
                if (running.decrementAndGet() == 0) {
                  channel.complete();
                }
              }));
    }
    long received = 0;
    for (Optional<Batch<Integer>> batch = batches.next().join();
        batch.isPresent();
        batch = batches.next().join()) {
      received += batch.get().items().size();
      blackhole.consume(batch.get().items());
    }
    for (Future<?> producer : producing) {
      producer.get();
    }
    return checked(received);
  }

  /**
   * Converge's BatchIterator over one BatchChannel fed by every producer, each calling the blocking
   * {@code put}.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if a producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long convergePut(Blackhole blackhole) throws ExecutionException, InterruptedException {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches = BatchingBenchmark.batchesOf(channel);
    AtomicInteger running = new AtomicInteger(PRODUCERS);
    List<Future<?>> producing = new ArrayList<>(PRODUCERS);
    for (int p = 0; p < PRODUCERS; p++) {
      int base = p * PER_PRODUCER + OUTSIDE_BOX_CACHE;
      producing.add(
          producers.submit(
              () -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                  channel.put(Integer.valueOf(base + i));
                }
                if (running.decrementAndGet() == 0) {
                  channel.complete();
                }
                return null;
              }));
    }
    long received = 0;
    for (Optional<Batch<Integer>> batch = batches.next().join();
        batch.isPresent();
        batch = batches.next().join()) {
      received += batch.get().items().size();
      blackhole.consume(batch.get().items());
    }
    for (Future<?> producer : producing) {
      producer.get();
    }
    return checked(received);
  }

  /**
   * The hand-off limit: one ArrayBlockingQueue fed by every producer, drained into batches.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if a producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long arrayBlockingQueue(Blackhole blackhole)
      throws ExecutionException, InterruptedException {
    ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>((PREFETCH + 1) * MAX_SIZE);
    AtomicInteger running = new AtomicInteger(PRODUCERS);
    List<Future<?>> producing = new ArrayList<>(PRODUCERS);
    for (int p = 0; p < PRODUCERS; p++) {
      int base = p * PER_PRODUCER + OUTSIDE_BOX_CACHE;
      producing.add(
          producers.submit(
              () -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                  queue.put(Integer.valueOf(base + i));
                }
                if (running.decrementAndGet() == 0) {
                  queue.put(END); // every other producer has finished: the marker comes last
                }
                return null;
              }));
    }
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
    for (Future<?> producer : producing) {
      producer.get();
    }
    return checked(received);
  }
}
