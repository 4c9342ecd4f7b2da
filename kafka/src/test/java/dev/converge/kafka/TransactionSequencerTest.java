package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.internal.AfterUnlock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The sequencer's grouping: dead letters skipped inside a batch's span commit with it. */
class TransactionSequencerTest {

  private static final TopicPartition P0 = new TopicPartition("in", 0);
  private static final TopicPartition P1 = new TopicPartition("in", 1);

  private final ReentrantLock lock = new ReentrantLock();
  private final TransactionSequencer sequencer = new TransactionSequencer(lock);

  private static TransactionSequencer.Step batch(
      long first, long last, Map<TopicPartition, OffsetAndMetadata> offsets) {
    return new TransactionSequencer.Step(
        first, last, offsets, List.of(), new CompletableFuture<>());
  }

  private static TransactionSequencer.Step deadLetter(
      long ordinal, TopicPartition partition, long offset) {
    return new TransactionSequencer.Step(
        ordinal, ordinal, Map.of(partition, new OffsetAndMetadata(offset + 1)), List.of(), null);
  }

  @Test
  void aDeadLetterInsideABatchsSpanJoinsItsTransaction() {
    lock.lock();
    try {
      // p0: records 0..4 delivered (ordinals 0..4), dead letters at offsets 5 and 6 skipped
      // (ordinals 5, 6), then p1's records 0..4 (ordinals 7..11), all in one batch.
      sequencer.submit(deadLetter(5, P0, 5), new AfterUnlock());
      sequencer.submit(deadLetter(6, P0, 6), new AfterUnlock());
      sequencer.submit(
          batch(0, 11, Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(5))),
          new AfterUnlock());
      List<TransactionSequencer.Step> group = sequencer.next(new AfterUnlock());
      assertEquals(3, group.size());
      assertEquals(
          Map.of(P0, new OffsetAndMetadata(7), P1, new OffsetAndMetadata(5)),
          TransactionSequencer.offsets(group));
      sequencer.committed(group);
      assertNull(sequencer.next(new AfterUnlock()));
      assertTrue(sequencer.drained());
    } finally {
      lock.unlock();
    }
  }

  @Test
  void aNestedStepNeverMovesAPartitionBack() {
    lock.lock();
    try {
      // A dead letter at p0 offset 3, then p0 records 4..9, in the same batch as p0's 0..2.
      sequencer.submit(deadLetter(3, P0, 3), new AfterUnlock());
      sequencer.submit(batch(0, 9, Map.of(P0, new OffsetAndMetadata(10))), new AfterUnlock());
      sequencer.submit(batch(10, 12, Map.of(P1, new OffsetAndMetadata(3))), new AfterUnlock());
      List<TransactionSequencer.Step> group = sequencer.next(new AfterUnlock());
      assertEquals(3, group.size());
      assertEquals(
          Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(3)),
          TransactionSequencer.offsets(group));
    } finally {
      lock.unlock();
    }
  }
}
