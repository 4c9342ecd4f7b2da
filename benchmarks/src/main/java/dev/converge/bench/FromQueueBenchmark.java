package dev.converge.bench;

import static dev.converge.bench.BatchingBenchmark.ITEMS;
import static dev.converge.bench.BatchingBenchmark.MAX_SIZE;
import static dev.converge.bench.BatchingBenchmark.MAX_WAIT;
import static dev.converge.bench.BatchingBenchmark.OUTSIDE_BOX_CACHE;
import static dev.converge.bench.BatchingBenchmark.PREFETCH;
import static dev.converge.bench.BatchingBenchmark.checked;

import dev.converge.batch.Batch;
import dev.converge.batch.BatchIterator;
import dev.converge.batch.BatchSources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * Reading a queue that a producer thread fills: {@link BatchSources#fromQueue} under a {@link
 * BatchIterator} (maxSize {@value BatchingBenchmark#MAX_SIZE}, maxWait 10 ms, prefetch 2) against
 * the same queue drained by hand into lists of at most 256. One producer thread {@code put}s
 * {@value BatchingBenchmark#ITEMS} fresh boxed integers into an {@code ArrayBlockingQueue(768)};
 * the benchmark thread consumes them. Scores are items per second; with {@code -prof gc}, {@code
 * gc.alloc.rate.norm} is bytes per item on all threads.
 *
 * <ul>
 *   <li>{@code fromQueue}: the adapter drains what is ready on the polling thread with one {@code
 *       drainTo} up to the room left, and waits in {@code take()} on a dedicated executor thread
 *       when the queue is empty.
 *   <li>{@code byHand}: {@code take} plus {@code drainTo}, the way the queue's own user would batch.
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
public class FromQueueBenchmark {

  private ExecutorService producer;
  private ExecutorService taker;

  /** Starts the producer thread and the adapter's waiting thread. */
  @Setup(Level.Trial)
  public void startThreads() {
    producer = Executors.newSingleThreadExecutor();
    taker = Executors.newSingleThreadExecutor();
  }

  /** Stops both threads. */
  @TearDown(Level.Trial)
  public void stopThreads() {
    producer.shutdownNow();
    taker.shutdownNow();
  }

  private Future<?> produce(ArrayBlockingQueue<Integer> queue) {
    return producer.submit(
        () -> {
          for (int i = 0; i < ITEMS; i++) {
            queue.put(Integer.valueOf(i + OUTSIDE_BOX_CACHE));
          }
          return null;
        });
  }

  /**
   * A BatchIterator over BatchSources.fromQueue.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if the producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long fromQueue(Blackhole blackhole) throws ExecutionException, InterruptedException {
    ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>((PREFETCH + 1) * MAX_SIZE);
    BatchIterator<Integer> batches =
        BatchIterator.builder(BatchSources.fromQueue(queue, taker))
            .maxSize(MAX_SIZE)
            .maxWait(MAX_WAIT)
            .prefetch(PREFETCH)
            .build();
    Future<?> producing = produce(queue);
    long received = 0;
    while (received < ITEMS) {
      Batch<Integer> batch = batches.next().join().orElseThrow();
      received += batch.items().size();
      blackhole.consume(batch.items());
    }
    producing.get();
    if (!batches.close().isEmpty()) {
      throw new IllegalStateException("items left over");
    }
    return checked(received);
  }

  /**
   * The same queue drained by hand.
   *
   * @param blackhole sink for the batches
   * @return the number of items received
   * @throws ExecutionException if the producer failed
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long byHand(Blackhole blackhole) throws ExecutionException, InterruptedException {
    ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>((PREFETCH + 1) * MAX_SIZE);
    Future<?> producing = produce(queue);
    long received = 0;
    while (received < ITEMS) {
      List<Integer> batch = new ArrayList<>(MAX_SIZE);
      batch.add(queue.take());
      queue.drainTo(batch, MAX_SIZE - 1);
      received += batch.size();
      blackhole.consume(batch);
    }
    producing.get();
    return checked(received);
  }
}
