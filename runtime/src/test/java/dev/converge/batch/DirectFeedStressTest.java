package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The publisher and iterator adapters feed a {@link BatchIterator} directly (no poll per item); with
 * the producer on its own thread and the consumer on the test thread, every item arrives once, in
 * order, in batches of at most maxSize, and the stream then ends.
 */
class DirectFeedStressTest {

  private static final int ITEMS = 50_000;
  private static final int ROUNDS = 10;

  private static List<Integer> drain(BatchIterator<Integer> iterator) throws Exception {
    List<Integer> received = new ArrayList<>(ITEMS);
    while (true) {
      Optional<Batch<Integer>> batch = iterator.next().get(10, TimeUnit.SECONDS);
      if (batch.isEmpty()) {
        return received;
      }
      assertTrue(batch.get().size() >= 1 && batch.get().size() <= 64);
      received.addAll(batch.get().items());
    }
  }

  @Test
  void publisherOnItsOwnThreadDeliversEveryItemOnceInOrder() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      PublisherSourceTest.SemaphorePublisher publisher =
          new PublisherSourceTest.SemaphorePublisher(ITEMS);
      BatchIterator<Integer> iterator =
          BatchIterator.builder(BatchSources.fromPublisher(publisher))
              .maxSize(64)
              .maxWait(Duration.ofMillis(1))
              .prefetch(round % 3)
              .build();
      Thread producer = publisher.start();

      List<Integer> received = drain(iterator);

      producer.join();
      assertEquals(Fixture.range(0, ITEMS), received, "round " + round);
      assertEquals(null, publisher.violation.get());
      assertEquals(List.of(), iterator.close());
    }
  }

  @Test
  void lingerTimersShorterThanTheirArmingLoseNothingOnTheChannelPath() throws Exception {
    // maxWait of a microsecond: the timer, armed after the lock is released, often fires before
    // its handle is stored, and races with the producer filling the batch and the consumer.
    for (int round = 0; round < ROUNDS; round++) {
      BatchChannel<Integer> channel = BatchChannel.bounded(128);
      BatchIterator<Integer> iterator =
          BatchIterator.builder(channel)
              .maxSize(64)
              .maxWait(Duration.ofNanos(1_000))
              .prefetch(round % 3)
              .build();
      Thread producer =
          new Thread(
              () -> {
                for (int i = 0; i < ITEMS; i++) {
                  if (!channel.trySend(i)) {
                    channel.send(i).toCompletableFuture().join();
                  }
                }
                channel.complete();
              });
      producer.start();

      List<Integer> received = drain(iterator);

      producer.join();
      assertEquals(Fixture.range(0, ITEMS), received, "round " + round);
      assertEquals(List.of(), iterator.close());
    }
  }

  @Test
  void iteratorPulledOnAnExecutorDeliversEveryItemOnceInOrder() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        Iterator<Integer> items = IntStream.range(0, ITEMS).iterator();
        BatchIterator<Integer> iterator =
            BatchIterator.builder(BatchSources.fromIterator(items, executor))
                .maxSize(64)
                .maxWait(Duration.ofMillis(1))
                .prefetch(round % 3)
                .build();

        assertEquals(Fixture.range(0, ITEMS), drain(iterator), "round " + round);
        assertEquals(List.of(), iterator.close());
      }
    } finally {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }
  }
}
