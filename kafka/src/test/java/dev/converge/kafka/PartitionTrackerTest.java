package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The per-partition offset tracking behind commits, against a direct model, with seeded randomness. */
class PartitionTrackerTest {

  private static final TopicPartition TP = new TopicPartition("t", 0);

  private static ConsumerRecord<String, String> record(long offset) {
    return new ConsumerRecord<>("t", 0, offset, null, "v" + offset);
  }

  @Test
  void committableIsOnePastTheLongestMarkedPrefixWhateverTheMarkingOrder() {
    for (long seed = 0; seed < 500; seed++) {
      Random random = new Random(seed);
      PartitionTracker tracker = new PartitionTracker(TP);
      List<ConsumerRecord<String, String>> delivered = new ArrayList<>();
      long offset = random.nextInt(1000);
      int count = 1 + random.nextInt(300);
      for (int i = 0; i < count; i++) {
        offset += 1 + (random.nextInt(10) == 0 ? random.nextInt(5) : 0); // compaction leaves holes
        ConsumerRecord<String, String> record = record(offset);
        delivered.add(record);
        tracker.delivered(record);
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      boolean[] marked = new boolean[count];
      for (int i : order) {
        assertTrue(tracker.mark(delivered.get(i)), "seed " + seed);
        marked[i] = true;
        tracker.advance();
        int prefix = 0;
        while (prefix < count && marked[prefix]) {
          prefix++;
        }
        long expected = prefix == 0 ? -1 : delivered.get(prefix - 1).offset() + 1;
        assertEquals(expected, tracker.committable(), "seed " + seed);
      }
    }
  }

  @Test
  void aRecordThisAssignmentDidNotDeliverIsNotMarked() {
    PartitionTracker tracker = new PartitionTracker(TP);
    ConsumerRecord<String, String> mine = record(5);
    tracker.delivered(mine);
    assertFalse(tracker.mark(record(5)), "same offset, delivered under another assignment");
    assertFalse(tracker.mark(record(6)), "never delivered");
    tracker.advance();
    assertEquals(-1, tracker.committable(), "nothing unmarked is committable");
    assertTrue(tracker.mark(mine));
    tracker.advance();
    assertEquals(6, tracker.committable());
  }

  @Test
  void theRingGrowsAndWrapsWithoutLosingOrder() {
    Random random = new Random(42);
    PartitionTracker tracker = new PartitionTracker(TP);
    List<ConsumerRecord<String, String>> open = new ArrayList<>();
    long next = 0;
    for (int round = 0; round < 2000; round++) {
      int deliver = random.nextInt(50);
      for (int i = 0; i < deliver; i++) {
        ConsumerRecord<String, String> record = record(next++);
        open.add(record);
        tracker.delivered(record);
      }
      int markUpTo = open.isEmpty() ? 0 : random.nextInt(open.size() + 1);
      for (int i = 0; i < markUpTo; i++) {
        assertTrue(tracker.mark(open.get(i)));
      }
      tracker.advance();
      if (markUpTo > 0) {
        assertEquals(open.get(markUpTo - 1).offset() + 1, tracker.committable());
      }
      open.subList(0, markUpTo).clear();
    }
  }

  @Test
  void theUnmarkedCountFollowsDeliveriesMarksRepeatedMarksAndTheEndOfTheAssignment() {
    for (long seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      UnmarkedLimit limit = new UnmarkedLimit(1_000);
      PartitionTracker tracker = new PartitionTracker(TP, limit);
      List<ConsumerRecord<String, String>> delivered = new ArrayList<>();
      int count = 1 + random.nextInt(200);
      for (int i = 0; i < count; i++) {
        delivered.add(record(i));
        tracker.delivered(delivered.get(i));
      }
      boolean[] marked = new boolean[count];
      int unmarked = count;
      for (int n = random.nextInt(2 * count); n > 0; n--) {
        int i = random.nextInt(count);
        tracker.mark(delivered.get(i));
        if (random.nextBoolean()) {
          tracker.advance();
        }
        if (!marked[i]) {
          marked[i] = true;
          unmarked--;
        }
        assertEquals(unmarked, limit.unmarked(), "seed " + seed);
      }
      tracker.ended(new dev.converge.internal.AfterUnlock());
      assertEquals(0, limit.unmarked(), "seed " + seed);
    }
  }

  @Test
  void aSettledTrackerSkipsToAPositionPastItsLastRecordAndCommitsIt() {
    PartitionTracker tracker = new PartitionTracker(TP);
    assertFalse(tracker.skipTo(5), "nothing processed by this assignment: left alone");
    ConsumerRecord<String, String> last = record(3);
    tracker.delivered(last);
    assertFalse(tracker.skipTo(5), "a delivered record is unmarked");
    tracker.mark(last);
    tracker.advance();
    assertFalse(tracker.skipTo(5), "marked, but not acknowledged");
    tracker.commitSent();
    tracker.acknowledged(4, new dev.converge.internal.AfterUnlock());
    assertFalse(tracker.skipTo(4), "the position is the committed offset");

    assertTrue(tracker.skipTo(5), "a transaction marker at 4");

    assertEquals(5, tracker.committable());
    assertTrue(tracker.commitDue());
  }
}
