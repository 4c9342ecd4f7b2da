package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.IteratorSourceTest.ManualExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@link BatchIterator} over {@link BatchSources#fromQueue} moves ready items into the batch being
 * filled with one {@code drainTo} up to the room left, and waits on the executor only when the queue
 * is empty.
 */
class QueueFastPathTest {

  @Test
  void readyItemsFillBatchesWithOneDrainToPerRoomAndNoTask() {
    int[] drains = {0};
    LinkedBlockingQueue<Integer> queue =
        new LinkedBlockingQueue<>(Fixture.range(0, 600)) {
          @Override
          public int drainTo(Collection<? super Integer> into, int max) {
            drains[0]++;
            return super.drainTo(into, max);
          }
        };
    ManualExecutor executor = new ManualExecutor();
    BatchIterator<Integer> iterator =
        BatchIterator.builder(BatchSources.fromQueue(queue, executor))
            .maxSize(256)
            .maxWait(Duration.ofMillis(20))
            .prefetch(1)
            .scheduler(new ManualScheduler())
            .build();

    // One full batch ready, one being filled: no room left, so two drains and no waiting task.
    assertEquals(2, drains[0]);
    assertEquals(0, executor.tasks.size());
    assertEquals(Fixture.range(0, 256), Fixture.ready(iterator.next()).items());

    // Room again: the last 88 items in one drain; the next drain finds the queue empty, and so does
    // the poll made then, which leaves a task waiting for more.
    assertEquals(5, drains[0]);
    assertEquals(1, executor.tasks.size());
    assertEquals(Fixture.range(256, 512), Fixture.ready(iterator.next()).items());
    assertEquals(Fixture.range(512, 600), iterator.close());
  }

  @Test
  void concurrentProducerAndConsumerSeeEveryItemOnceInOrder() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < 20; round++) {
        int items = 20_000;
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(300);
        BatchIterator<Integer> iterator =
            BatchIterator.builder(BatchSources.fromQueue(queue, executor))
                .maxSize(64)
                .maxWait(Duration.ofMillis(1))
                .prefetch(1)
                .build();
        Thread producer =
            new Thread(
                () -> {
                  for (int i = 0; i < items; i++) {
                    try {
                      queue.put(i);
                    } catch (InterruptedException e) {
                      throw new AssertionError(e);
                    }
                  }
                });
        producer.start();
        List<Integer> received = new ArrayList<>(items);
        while (received.size() < items) {
          Optional<Batch<Integer>> batch = iterator.next().get(10, TimeUnit.SECONDS);
          assertTrue(batch.isPresent());
          assertTrue(batch.get().size() <= 64);
          received.addAll(batch.get().items());
        }
        producer.join();
        assertEquals(Fixture.range(0, items), received, "round " + round);
        assertEquals(List.of(), iterator.close());
      }
    } finally {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }
  }
}
