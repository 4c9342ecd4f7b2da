package dev.converge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.batch.BatchChannel;
import org.junit.jupiter.api.Test;

/**
 * Bounds what a blocking producer's accepted send costs beyond {@code trySend}, in bytes counted by
 * the thread's allocation counter (see {@link AllocatedBytes}), never time: {@code
 * send(item).toCompletableFuture().join()} and {@code put(item)} must allocate nothing per item.
 */
class ChannelSendAllocationTest {

  private static final int CALLS = 16_384;
  private static final int DRAIN_EVERY = 1_024;

  /** Tolerance per call for the counter's own noise; any extra object would cost 16 bytes or more. */
  private static final double NOISE = 2.0;

  private final Integer[] boxes = new Integer[CALLS];

  {
    for (int i = 0; i < CALLS; i++) {
      boxes[i] = 1_000 + i;
    }
  }

  /** Sends every item one way, and polls them out every {@value #DRAIN_EVERY} (same for all ways). */
  private double bytesPerItem(Sender sender) {
    BatchChannel<Integer> channel = BatchChannel.bounded(DRAIN_EVERY);
    return AllocatedBytes.perCall(
        CALLS,
        i -> {
          try {
            sender.send(channel, boxes[i]);
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          if (i % DRAIN_EVERY == DRAIN_EVERY - 1) {
            channel.poll(DRAIN_EVERY).toCompletableFuture().join();
          }
        });
  }

  @Test
  void sendAndJoinAllocatesNothingMoreThanTrySend() {
    double trySend = bytesPerItem((channel, item) -> assertTrue(channel.trySend(item)));
    double sendJoin =
        bytesPerItem((channel, item) -> channel.send(item).toCompletableFuture().join());
    assertTrue(
        sendJoin <= trySend + NOISE, "send+join costs " + sendJoin + " B/item, trySend " + trySend);
  }

  @Test
  void putAllocatesNothingMoreThanTrySend() {
    double trySend = bytesPerItem((channel, item) -> assertTrue(channel.trySend(item)));
    double put = bytesPerItem(BatchChannel::put);
    assertTrue(put <= trySend + NOISE, "put costs " + put + " B/item, trySend " + trySend);
  }

  private interface Sender {
    void send(BatchChannel<Integer> channel, Integer item) throws InterruptedException;
  }
}
