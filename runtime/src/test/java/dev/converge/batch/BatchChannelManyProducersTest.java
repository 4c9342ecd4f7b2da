package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many producers appending to one {@link BatchChannel} at once, through its lock-free append ring:
 * every accepted item is received exactly once and in its producer's order, the capacity is never
 * exceeded, and a close racing with the sends delivers every accepted item and refuses the rest.
 * Each round starts its threads together on a barrier; its shape comes from a seeded Random.
 */
class BatchChannelManyProducersTest {

  private static final int PRODUCERS = 4;
  private static final int ROUNDS = 200;
  private static final int ID = 1_000_000; // item = producer * ID + its sequence number

  private final ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS + 1);

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** How a producer hands over one item; returns false if the channel refused it (it ended). */
  private static boolean sendOne(BatchChannel<Integer> channel, int item, int how) {
    try {
      switch (how) {
        case 0:
          if (!channel.trySend(item)) {
            channel.send(item).toCompletableFuture().join();
          }
          return true;
        case 1:
          channel.send(item).toCompletableFuture().join();
          return true;
        default:
          channel.put(item);
          return true;
      }
    } catch (IllegalStateException | CompletionException refused) {
      return false;
    } catch (InterruptedException unexpected) {
      throw new AssertionError(unexpected);
    }
  }

  /**
   * Starts the producers: producer p sends items p * ID + 0, 1, ... until it has sent {@code
   * perProducer} or the channel refuses one, counting each accepted item down on {@code sent}. Each
   * future returns how many items its producer had accepted.
   */
  private List<Future<Integer>> produce(
      BatchChannel<Integer> channel,
      int perProducer,
      long seed,
      CyclicBarrier start,
      CountDownLatch sent) {
    List<Future<Integer>> producing = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      producing.add(
          threads.submit(
              () -> {
                Random random = new Random(seed * 31 + producer);
                start.await();
                int accepted = 0;
                while (accepted < perProducer
                    && sendOne(channel, producer * ID + accepted, random.nextInt(3))) {
                  accepted++;
                  sent.countDown();
                }
                return accepted;
              }));
    }
    return producing;
  }

  /** Checks that {@code received} holds, for each producer, exactly its accepted items in order. */
  private static void assertEveryAcceptedItemOnceInOrder(
      List<Integer> received, List<Future<Integer>> producing, String round) throws Exception {
    int[] next = new int[PRODUCERS];
    for (int item : received) {
      int producer = item / ID;
      assertEquals(next[producer], item % ID, round + ": producer " + producer + "'s order");
      next[producer]++;
    }
    for (int p = 0; p < PRODUCERS; p++) {
      assertEquals(producing.get(p).get(), next[p], round + ": producer " + p + "'s items");
    }
  }

  private static List<Integer> readWithIterator(BatchChannel<Integer> channel, Random random) {
    BatchIterator<Integer> batches =
        BatchIterator.builder(channel)
            .maxSize(1 + random.nextInt(100))
            .maxWait(Duration.ofMillis(1))
            .prefetch(random.nextInt(3))
            .build();
    List<Integer> received = new ArrayList<>();
    for (Optional<Batch<Integer>> batch = batches.next().join();
        batch.isPresent();
        batch = batches.next().join()) {
      received.addAll(batch.get().items());
    }
    batches.close();
    return received;
  }

  @Test
  void anIteratorReceivesEveryItemOnceInEachProducersOrder() throws Exception {
    Random random = new Random(20);
    for (int round = 0; round < ROUNDS; round++) {
      BatchChannel<Integer> channel = BatchChannel.bounded(1 + random.nextInt(64));
      int perProducer = 1 + random.nextInt(500);
      CyclicBarrier start = new CyclicBarrier(PRODUCERS);
      List<Future<Integer>> producing =
          produce(channel, perProducer, random.nextLong(), start, new CountDownLatch(0));
      Future<?> completing = threads.submit(() -> completeAfter(channel, producing));
      List<Integer> received = readWithIterator(channel, random);
      completing.get();
      assertEquals(PRODUCERS * perProducer, received.size(), "round " + round);
      assertEveryAcceptedItemOnceInOrder(received, producing, "round " + round);
    }
  }

  private static Void completeAfter(BatchChannel<Integer> channel, List<Future<Integer>> producing)
      throws Exception {
    for (Future<Integer> producer : producing) {
      producer.get();
    }
    channel.complete();
    return null;
  }

  @Test
  void pollsReceiveEveryItemOnceInOrderAndNeverMoreThanTheCapacity() throws Exception {
    Random random = new Random(21);
    for (int round = 0; round < ROUNDS; round++) {
      int capacity = 1 + random.nextInt(64);
      BatchChannel<Integer> channel = BatchChannel.bounded(capacity);
      int perProducer = 1 + random.nextInt(500);
      CyclicBarrier start = new CyclicBarrier(PRODUCERS);
      List<Future<Integer>> producing =
          produce(channel, perProducer, random.nextLong(), start, new CountDownLatch(0));
      Future<?> completing = threads.submit(() -> completeAfter(channel, producing));
      List<Integer> received = new ArrayList<>();
      for (List<Integer> items = channel.poll(1 + random.nextInt(200)).toCompletableFuture().join();
          !items.isEmpty();
          items = channel.poll(1 + random.nextInt(200)).toCompletableFuture().join()) {
        assertTrue(items.size() <= capacity, "a poll got more than the channel holds");
        received.addAll(items);
      }
      completing.get();
      assertEquals(PRODUCERS * perProducer, received.size(), "round " + round);
      assertEveryAcceptedItemOnceInOrder(received, producing, "round " + round);
    }
  }

  @Test
  void racingTrySendsFillTheChannelExactlyToItsCapacity() throws Exception {
    Random random = new Random(22);
    for (int round = 0; round < ROUNDS; round++) {
      int capacity = 1 + random.nextInt(100);
      int attempts = 1 + random.nextInt(50);
      BatchChannel<Integer> channel = BatchChannel.bounded(capacity);
      CyclicBarrier start = new CyclicBarrier(PRODUCERS);
      List<Future<Integer>> trying = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        trying.add(
            threads.submit(
                () -> {
                  start.await();
                  int accepted = 0;
                  for (int i = 0; i < attempts; i++) {
                    if (channel.trySend(producer * ID + accepted)) {
                      accepted++;
                    }
                  }
                  return accepted;
                }));
      }
      int accepted = 0;
      for (Future<Integer> producer : trying) {
        accepted += producer.get();
      }
      assertEquals(Math.min(capacity, PRODUCERS * attempts), accepted, "round " + round);
      channel.complete();
      List<Integer> held = channel.poll(Integer.MAX_VALUE).toCompletableFuture().join();
      assertEveryAcceptedItemOnceInOrder(held, trying, "round " + round);
      assertTrue(channel.poll(1).toCompletableFuture().join().isEmpty());
    }
  }

  @Test
  void aCloseRacingWithSendsDeliversEveryAcceptedItemAndRefusesTheRest() throws Exception {
    Random random = new Random(23);
    for (int round = 0; round < ROUNDS; round++) {
      BatchChannel<Integer> channel = BatchChannel.bounded(1 + random.nextInt(32));
      int perProducer = 1 + random.nextInt(300);
      CyclicBarrier start = new CyclicBarrier(PRODUCERS + 1);
      CountDownLatch sent = new CountDownLatch(random.nextInt(PRODUCERS * perProducer));
      boolean close = random.nextBoolean();
      List<Future<Integer>> producing =
          produce(channel, perProducer, random.nextLong(), start, sent);
      Future<?> ending =
          threads.submit(
              () -> {
                start.await();
                sent.await();
                if (close) {
                  channel.close();
                } else {
                  channel.complete();
                }
                return null;
              });
      List<Integer> received = readWithIterator(channel, random);
      ending.get();
      assertEveryAcceptedItemOnceInOrder(received, producing, "round " + round);
    }
  }
}
