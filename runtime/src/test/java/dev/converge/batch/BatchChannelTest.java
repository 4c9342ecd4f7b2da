package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class BatchChannelTest {

  private final BatchChannel<Integer> channel = BatchChannel.bounded(3);

  private static <T> List<T> now(CompletionStage<List<T>> poll) {
    CompletableFuture<List<T>> future = poll.toCompletableFuture();
    assertTrue(future.isDone(), "poll should have completed");
    return future.join();
  }

  @Test
  void capacityMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BatchChannel.bounded(0));
    assertTrue(e.getMessage().contains("capacity must be in 1..2147483647, was 0"), e.getMessage());
  }

  @Test
  void nullItemsAreRejected() {
    assertThrows(NullPointerException.class, () -> channel.send(null));
    assertThrows(NullPointerException.class, () -> channel.trySend(null));
  }

  @Test
  void pollReturnsBufferedItemsAtOnceUpToMax() {
    channel.trySend(1);
    channel.trySend(2);
    channel.trySend(3);
    assertEquals(List.of(1, 2), now(channel.poll(2)));
    assertEquals(List.of(3), now(channel.poll(5)));
  }

  @Test
  void pendingPollCompletesOnTheSendersThreadWithTheFirstItem() {
    CompletableFuture<List<Integer>> poll = channel.poll(10).toCompletableFuture();
    assertFalse(poll.isDone());
    List<Thread> completedOn = new ArrayList<>();
    poll.thenRun(() -> completedOn.add(Thread.currentThread()));
    channel.trySend(7);
    assertEquals(List.of(7), poll.join());
    assertEquals(List.of(Thread.currentThread()), completedOn);
  }

  @Test
  void pollWithMaxBelowOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> channel.poll(0));
  }

  @Test
  void trySendReturnsFalseWhenFull() {
    assertTrue(channel.trySend(1));
    assertTrue(channel.trySend(2));
    assertTrue(channel.trySend(3));
    assertFalse(channel.trySend(4));
  }

  @Test
  void sendCompletesAtOnceWhenThereIsRoom() {
    assertTrue(channel.send(1).toCompletableFuture().isDone());
  }

  @Test
  void sendWaitsWhileFullAndIsAcceptedFifoAsRoomFrees() {
    for (int i = 1; i <= 3; i++) {
      channel.trySend(i);
    }
    CompletableFuture<Void> fourth = channel.send(4).toCompletableFuture();
    CompletableFuture<Void> fifth = channel.send(5).toCompletableFuture();
    assertFalse(fourth.isDone());
    assertFalse(channel.trySend(99), "trySend must not overtake waiting senders");
    assertEquals(List.of(1), now(channel.poll(1)));
    assertTrue(fourth.isDone());
    assertFalse(fifth.isDone());
    assertEquals(List.of(2, 3, 4), now(channel.poll(10)));
    assertTrue(fifth.isDone());
    assertEquals(List.of(5), now(channel.poll(10)));
  }

  @Test
  void completeEndsTheStreamAfterBufferedAndWaitingItems() {
    for (int i = 1; i <= 3; i++) {
      channel.trySend(i);
    }
    CompletableFuture<Void> waiting = channel.send(4).toCompletableFuture();
    channel.complete();
    assertEquals(List.of(1, 2, 3), now(channel.poll(10)));
    assertTrue(waiting.isDone());
    assertEquals(List.of(4), now(channel.poll(10)));
    assertEquals(List.of(), now(channel.poll(10)));
    assertEquals(List.of(), now(channel.poll(10)));
  }

  @Test
  void completeWakesAPendingPollWithTheEnd() {
    CompletableFuture<List<Integer>> poll = channel.poll(10).toCompletableFuture();
    channel.complete();
    assertEquals(List.of(), poll.join());
  }

  @Test
  void failDeliversTheErrorAfterBufferedItems() {
    channel.trySend(1);
    IllegalStateException boom = new IllegalStateException("boom");
    channel.fail(boom);
    assertEquals(List.of(1), now(channel.poll(10)));
    CompletableFuture<List<Integer>> failed = channel.poll(10).toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, failed::get);
    assertSame(boom, e.getCause());
  }

  @Test
  void sendingAfterTheEndFails() {
    channel.complete();
    assertThrows(IllegalStateException.class, () -> channel.trySend(1));
    CompletionException e =
        assertThrows(CompletionException.class, () -> channel.send(1).toCompletableFuture().join());
    assertTrue(e.getCause() instanceof IllegalStateException);
  }

  @Test
  void closeRejectsWaitingSendersButKeepsAcceptedItems() {
    for (int i = 1; i <= 3; i++) {
      channel.trySend(i);
    }
    CompletableFuture<Void> waiting = channel.send(4).toCompletableFuture();
    channel.close();
    CompletionException e = assertThrows(CompletionException.class, waiting::join);
    assertTrue(e.getCause() instanceof IllegalStateException);
    assertEquals(List.of(1, 2, 3), now(channel.poll(10)));
    assertEquals(List.of(), now(channel.poll(10)));
  }

  @Test
  void cancelledPollDoesNotTakeItems() {
    CompletableFuture<List<Integer>> poll = channel.poll(10).toCompletableFuture();
    assertTrue(poll.cancel(false));
    channel.trySend(1);
    assertEquals(List.of(1), now(channel.poll(10)));
  }

  @Test
  void pollsAreServedInOrder() {
    CompletableFuture<List<Integer>> first = channel.poll(1).toCompletableFuture();
    CompletableFuture<List<Integer>> second = channel.poll(1).toCompletableFuture();
    channel.trySend(1);
    channel.trySend(2);
    assertEquals(List.of(1), first.join());
    assertEquals(List.of(2), second.join());
  }

  @Test
  void cancellingAPollWhileAnItemArrivesNeverLosesTheItem() throws Exception {
    for (int round = 0; round < 5_000; round++) {
      int item = round;
      BatchChannel<Integer> racing = BatchChannel.bounded(4);
      CompletableFuture<List<Integer>> poll = racing.poll(4).toCompletableFuture();
      CyclicBarrier start = new CyclicBarrier(2);
      Thread sender =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
                racing.trySend(item);
              });
      sender.start();
      start.await();
      poll.cancel(false);
      sender.join();
      List<Integer> got = poll.isCancelled() ? now(racing.poll(4)) : poll.join();
      assertEquals(List.of(round), got, "round " + round);
    }
  }

  @Test
  void concurrentSendersAndOnePollerLoseAndDuplicateNothing() throws Exception {
    int producers = 3;
    int perProducer = 5_000;
    BatchChannel<Integer> shared = BatchChannel.bounded(16);
    CyclicBarrier start = new CyclicBarrier(producers);
    CountDownLatch sent = new CountDownLatch(producers);
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < perProducer; i++) {
                    shared.send(base + i).toCompletableFuture().join();
                  }
                } catch (Exception e) {
                  throw new AssertionError(e);
                } finally {
                  sent.countDown();
                }
              });
      thread.start();
    }
    int[] lastPerProducer = new int[producers];
    java.util.Arrays.fill(lastPerProducer, -1);
    int received = 0;
    Thread closer =
        new Thread(
            () -> {
              try {
                sent.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              shared.complete();
            });
    closer.start();
    while (true) {
      List<Integer> items = shared.poll(7).toCompletableFuture().join();
      if (items.isEmpty()) {
        break;
      }
      for (int item : items) {
        int producer = item / perProducer;
        assertTrue(item > lastPerProducer[producer], "order kept per producer");
        lastPerProducer[producer] = item;
        received++;
      }
    }
    closer.join();
    assertEquals(producers * perProducer, received);
  }
}
