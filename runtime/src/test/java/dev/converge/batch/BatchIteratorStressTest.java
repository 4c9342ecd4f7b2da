package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several producer threads send into a BatchChannel while a consumer processes batches through
 * CompletableFuture chains with random delays, on the system scheduler: every item arrives exactly
 * once, each producer's order is kept, and no thread is left behind after close.
 */
class BatchIteratorStressTest {

  private static final int PRODUCERS = 4;
  private static final int PER_PRODUCER = 250_000;

  @Test
  void everyItemArrivesExactlyOnceInProducerOrder() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ScheduledThreadPoolExecutor delays = new ScheduledThreadPoolExecutor(2);
    BatchChannel<Long> channel = BatchChannel.bounded(1_024);
    BatchIterator<Long> iterator =
        BatchIterator.builder(channel)
            .maxSize(256)
            .maxWait(Duration.ofMillis(1))
            .prefetch(2)
            .build();

    long[] lastSeen = new long[PRODUCERS];
    java.util.Arrays.fill(lastSeen, -1);
    long[] received = {0};
    long[] batches = {0};
    CompletableFuture<Void> consumed =
        iterator.forEach(
            batch -> {
              // forEach runs handlers one at a time, so these plain fields are safely confined.
              assertTrue(batch.size() >= 1 && batch.size() <= 256);
              for (long item : batch.items()) {
                int producer = (int) (item / PER_PRODUCER);
                assertTrue(item > lastSeen[producer], "producer order kept, item " + item);
                lastSeen[producer] = item;
                received[0]++;
              }
              batches[0]++;
              CompletableFuture<Void> processed = new CompletableFuture<>();
              int delayMicros =
                  ThreadLocalRandom.current().nextInt(20) == 0
                      ? ThreadLocalRandom.current().nextInt(500)
                      : 0;
              if (delayMicros == 0) {
                processed.complete(null);
              } else {
                delays.schedule(() -> processed.complete(null), delayMicros, TimeUnit.MICROSECONDS);
              }
              return processed;
            });

    CyclicBarrier start = new CyclicBarrier(PRODUCERS);
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      long base = (long) p * PER_PRODUCER;
      Thread producer =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (long i = 0; i < PER_PRODUCER; i++) {
                    if (!channel.trySend(base + i)) {
                      channel.send(base + i).toCompletableFuture().join();
                    }
                  }
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              },
              "stress-producer-" + p);
      producers.add(producer);
      producer.start();
    }
    for (Thread producer : producers) {
      producer.join();
    }
    channel.complete();
    consumed.get(60, TimeUnit.SECONDS);

    assertEquals((long) PRODUCERS * PER_PRODUCER, received[0]);
    for (int p = 0; p < PRODUCERS; p++) {
      assertEquals((long) (p + 1) * PER_PRODUCER - 1, lastSeen[p]);
    }
    assertEquals(List.of(), iterator.close());
    delays.shutdown();
    assertTrue(delays.awaitTermination(10, TimeUnit.SECONDS));
    List<String> leftBehind = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (before.contains(thread) || thread.getName().equals("converge-timer")) {
        continue; // the shared timer thread is process-wide by design
      }
      thread.join(10_000); // a terminated pool's workers may still be unwinding
      if (thread.isAlive()) {
        leftBehind.add(thread.getName());
      }
    }
    assertEquals(List.of(), leftBehind, "threads left behind");
    assertTrue(batches[0] > 0);
  }
}
