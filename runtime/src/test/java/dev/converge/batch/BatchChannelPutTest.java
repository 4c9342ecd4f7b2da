package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link BatchChannel#put} and the shared stage of an accepted {@link BatchChannel#send}. */
class BatchChannelPutTest {

  private final BatchChannel<Integer> channel = BatchChannel.bounded(1);

  @Test
  void acceptedSendsShareOneCompletedStageThatIsItsOwnFuture() {
    BatchChannel<Integer> roomy = BatchChannel.bounded(10);
    CompletionStage<Void> first = roomy.send(1);
    CompletionStage<Void> second = roomy.send(2);
    assertSame(first, second);
    assertSame(first, first.toCompletableFuture());
    assertNull(first.toCompletableFuture().join());
    assertSame(first, channel.send(3), "one stage for every channel");
  }

  @Test
  void nobodyCanChangeTheSharedStage() {
    CompletableFuture<Void> accepted = channel.send(1).toCompletableFuture();
    assertFalse(accepted.complete(null));
    assertFalse(accepted.completeExceptionally(new RuntimeException("x")));
    assertFalse(accepted.cancel(true));
    assertSame(accepted, accepted.completeAsync(() -> null, Runnable::run));
    assertSame(accepted, accepted.orTimeout(1, TimeUnit.NANOSECONDS));
    assertSame(accepted, accepted.completeOnTimeout(null, 1, TimeUnit.NANOSECONDS));
    assertThrows(UnsupportedOperationException.class, () -> accepted.obtrudeValue(null));
    assertThrows(
        UnsupportedOperationException.class,
        () -> accepted.obtrudeException(new RuntimeException("x")));

    CompletableFuture<Void> other = BatchChannel.<Integer>bounded(1).send(2).toCompletableFuture();
    assertTrue(other.isDone());
    assertFalse(other.isCompletedExceptionally());
    assertFalse(other.isCancelled());
    assertNull(other.join());
  }

  @Test
  void dependentsOfTheSharedStageAreTheCallersOwn() {
    CompletionStage<Void> accepted = channel.send(1);
    CompletableFuture<Integer> dependent = accepted.thenApply(v -> 1).toCompletableFuture();
    dependent.obtrudeValue(2);
    assertEquals(2, dependent.join());
    assertNull(accepted.toCompletableFuture().join());
  }

  @Test
  void aWaitingSendStillGetsAMinimalStage() {
    channel.trySend(1);
    CompletionStage<Void> waiting = channel.send(2);
    CompletableFuture<Void> asFuture = waiting.toCompletableFuture();
    assertTrue(asFuture.complete(null), "a copy: completing it does not accept the item");
    assertEquals(List.of(1), channel.poll(5).toCompletableFuture().join());
    assertEquals(List.of(2), channel.poll(5).toCompletableFuture().join());
  }

  @Test
  void putAcceptsAtOnceWhenThereIsRoom() throws InterruptedException {
    channel.put(1);
    assertEquals(List.of(1), channel.poll(5).toCompletableFuture().join());
  }

  @Test
  void putBlocksWhileFullAndReturnsOnceTheItemIsAccepted() throws Exception {
    channel.trySend(1);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread producer =
        new Thread(
            () -> {
              try {
                channel.put(2);
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    producer.start();
    awaitBlocked(producer);
    assertEquals(List.of(1), channel.poll(5).toCompletableFuture().join());
    producer.join();
    assertNull(failed.get());
    assertEquals(List.of(2), channel.poll(5).toCompletableFuture().join());
  }

  @Test
  void anInterruptedPutDoesNotAcceptItsItemAndLosesNothingElse() throws Exception {
    channel.trySend(1);
    CompletableFuture<Void> behind = channel.send(3).toCompletableFuture();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread producer =
        new Thread(
            () -> {
              try {
                channel.put(2);
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    producer.start();
    awaitBlocked(producer);
    producer.interrupt();
    producer.join();
    assertTrue(failed.get() instanceof InterruptedException, String.valueOf(failed.get()));

    assertEquals(List.of(1), channel.poll(5).toCompletableFuture().join());
    assertTrue(behind.isDone(), "the send behind the withdrawn put is accepted");
    assertEquals(List.of(3), channel.poll(5).toCompletableFuture().join());
    channel.complete();
    assertEquals(List.of(), channel.poll(5).toCompletableFuture().join());
  }

  @Test
  void putAfterTheEndThrowsLikeSendReportsIt() {
    channel.complete();
    assertThrows(IllegalStateException.class, () -> channel.put(1));
    assertTrue(channel.send(1).toCompletableFuture().isCompletedExceptionally());
  }

  @Test
  void aPutWaitingWhenTheChannelClosesThrowsAndItsItemIsNotAccepted() throws Exception {
    channel.trySend(1);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread producer =
        new Thread(
            () -> {
              try {
                channel.put(2);
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    producer.start();
    awaitBlocked(producer);
    channel.close();
    producer.join();
    assertTrue(failed.get() instanceof IllegalStateException, String.valueOf(failed.get()));
    assertEquals(List.of(1), channel.poll(5).toCompletableFuture().join());
    assertEquals(List.of(), channel.poll(5).toCompletableFuture().join());
  }

  @Test
  void putIntoAnIteratorsChannelBlocksUntilTheConsumerMakesRoom() throws Exception {
    ManualScheduler time = new ManualScheduler();
    BatchIterator<Integer> batches =
        BatchIterator.builder(channel).maxSize(1).prefetch(0).scheduler(time).build();
    channel.put(1); // into the batch, which is then full and due
    channel.put(2); // into the channel: full
    Thread producer =
        new Thread(
            () -> {
              try {
                channel.put(3);
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    producer.start();
    awaitBlocked(producer);
    assertEquals(List.of(1), batches.next().join().orElseThrow().items());
    assertEquals(List.of(2), batches.next().join().orElseThrow().items());
    producer.join();
    assertEquals(List.of(3), batches.next().join().orElseThrow().items());
  }

  /** Spins until {@code thread} parks waiting for room. */
  private static void awaitBlocked(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING) {
      if (!thread.isAlive() || System.nanoTime() > deadline) {
        fail("the producer never blocked; it is " + thread.getState());
      }
      Thread.onSpinWait();
    }
  }
}
