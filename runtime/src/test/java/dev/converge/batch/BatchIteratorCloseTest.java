package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** close(): returns undelivered items, ends pending next(), cancels the poll, closes the source. */
class BatchIteratorCloseTest {

  @Test
  void closeReturnsEveryReceivedButUndeliveredItemInOrder() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 2);
    f.sendRange(0, 7);
    assertEquals(List.of(0, 1), f.take().items());
    // held: batches [2,3] and [4,5] ready, [6] being filled
    assertEquals(List.of(2, 3, 4, 5, 6), f.iterator.close());
  }

  @Test
  void closeCompletesPendingNextWithEmpty() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    CompletableFuture<Optional<Batch<Integer>>> first = f.iterator.next();
    CompletableFuture<Optional<Batch<Integer>>> second = f.iterator.next();
    f.iterator.close();
    assertEquals(Optional.empty(), first.join());
    assertEquals(Optional.empty(), second.join());
  }

  @Test
  void nextAfterCloseCompletesWithEmpty() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    f.send(1, 2);
    f.iterator.close();
    assertEquals(Optional.empty(), f.iterator.next().join());
  }

  @Test
  void closeIsIdempotent() {
    Fixture f = new Fixture(4, Duration.ofMillis(20), 0);
    f.send(1);
    assertEquals(List.of(1), f.iterator.close());
    assertEquals(List.of(), f.iterator.close());
  }

  @Test
  void closingTheIteratorClosesTheChannelSoProducersLearnTheConsumerIsGone() {
    Fixture f = new Fixture(4, Duration.ofMillis(20), 0);
    f.iterator.close();
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(1));
  }

  @Test
  void closeCancelsThePollAndClosesTheSourceOnce() {
    CompletableFuture<List<Integer>> poll = new CompletableFuture<>();
    int[] closes = {0};
    BatchSource<Integer> source =
        new BatchSource<>() {
          @Override
          public CompletionStage<List<Integer>> poll(int max) {
            return poll;
          }

          @Override
          public void close() {
            closes[0]++;
          }
        };
    BatchIterator<Integer> iterator =
        BatchIterator.builder(source).scheduler(new ManualScheduler()).build();
    iterator.close();
    iterator.close();
    assertTrue(poll.isCancelled());
    assertEquals(1, closes[0]);
  }

  @Test
  void itemsLeftInTheChannelAfterCloseAreNotLost() {
    Fixture f = new Fixture(2, Duration.ofMillis(20), 0);
    f.sendRange(0, 5);
    List<Integer> leftovers = f.iterator.close();
    assertEquals(List.of(0, 1), leftovers);
    assertEquals(List.of(2, 3, 4), f.channel.poll(10).toCompletableFuture().join());
  }

  @Test
  void closeAfterTheEndStillReturnsTheUndeliveredRemainder() {
    Fixture f = new Fixture(5, Duration.ofMillis(20), 0);
    f.send(1, 2);
    f.channel.complete();
    assertEquals(List.of(1, 2), f.iterator.close());
    assertFalse(f.iterator.next().join().isPresent());
  }
}
