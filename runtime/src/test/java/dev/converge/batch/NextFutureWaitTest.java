package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A blocking wait on a {@code next()} future ({@code join} or {@code get}) spins briefly before it
 * parks: whichever way it ends up waiting, it returns the batch, and it keeps {@code get}'s
 * contract for interrupts and cancellation.
 */
class NextFutureWaitTest {

  private static final int MAX_SIZE = 4;

  private static BatchIterator<Integer> iterator(BatchChannel<Integer> channel) {
    return BatchIterator.builder(channel).maxSize(MAX_SIZE).maxWait(Duration.ofHours(1)).build();
  }

  @Test
  void joinAndGetReturnTheBatchWhetherItArrivesWhileSpinningOrAfterParking() throws Exception {
    Random random = new Random(20261203);
    for (int round = 0; round < 300; round++) {
      BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
      BatchIterator<Integer> batches = iterator(channel);
      CompletableFuture<Optional<Batch<Integer>>> next = batches.next();
      CyclicBarrier start = new CyclicBarrier(2);
      // Sometimes the producer waits well past the spin, so that the consumer parks first.
      long delayNanos = random.nextBoolean() ? 0 : TimeUnit.MILLISECONDS.toNanos(1);
      Thread producer =
          new Thread(
              () -> {
                try {
                  start.await();
                  long until = System.nanoTime() + delayNanos;
                  while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                  }
                  for (int i = 0; i < MAX_SIZE; i++) {
                    channel.trySend(i);
                  }
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      producer.start();
      start.await();
      Optional<Batch<Integer>> batch = round % 2 == 0 ? next.join() : next.get();
      producer.join();
      assertEquals(List.of(0, 1, 2, 3), batch.orElseThrow().items(), "round " + round);
      batches.close();
    }
  }

  @Test
  void getOnAnInterruptedThreadThrowsAndTheNextStillReceivesItsBatch() throws Exception {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches = iterator(channel);
    CompletableFuture<Optional<Batch<Integer>>> next = batches.next();

    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, next::get);
    assertFalse(Thread.currentThread().isInterrupted(), "get cleared the interrupt status");

    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < MAX_SIZE; i++) {
      channel.trySend(i);
      sent.add(i);
    }
    assertEquals(sent, next.get().orElseThrow().items());
    batches.close();
  }

  @Test
  void joinAndGetOfACancelledNextThrowCancellationException() {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches = iterator(channel);
    CompletableFuture<Optional<Batch<Integer>>> next = batches.next();

    assertTrue(next.cancel(false));

    assertThrows(CancellationException.class, next::join);
    assertThrows(CancellationException.class, next::get);
    batches.close();
  }

  @Test
  void getOfAFailedStreamThrowsExecutionExceptionWithTheFailure() {
    BatchChannel<Integer> channel = BatchChannel.bounded(MAX_SIZE);
    BatchIterator<Integer> batches = iterator(channel);
    CompletableFuture<Optional<Batch<Integer>>> next = batches.next();
    IllegalStateException failure = new IllegalStateException("source failed");

    channel.fail(failure);

    ExecutionException thrown = assertThrows(ExecutionException.class, next::get);
    assertEquals(failure, thrown.getCause());
    batches.close();
  }
}
