package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit state of one partition for one assignment of it to this member.
 *
 * <p>A partition revoked and assigned back gets a new tracker, so the object's identity is the
 * assignment epoch: a mark or a commit acknowledgement meant for an old tracker finds it no longer
 * owned by the {@link Assignment} and is not applied to the new one.
 *
 * <p>Records are appended in delivery order, which is offset order. The ring holds every delivered
 * record from the oldest unmarked one on; marking sets its flag, and the marked prefix is popped,
 * each pop advancing {@link #committable} to that record's offset + 1. So a gap (an unmarked
 * record) holds back everything after it, and nothing unmarked is ever below {@code committable}. A
 * mark finds its record by offset (binary search, with a fast check of the slot after the previous
 * mark, since batches are usually marked in order) and then by identity, so a record delivered
 * under an earlier assignment of the same offsets never marks this one's.
 *
 * <p>Not thread-safe: the source guards every tracker with its lock. Only this class changes its
 * offsets; the {@link OffsetCommitter} reports what happened to commits through its methods.
 */
final class PartitionTracker {

  private final TopicPartition partition;
  private final UnmarkedLimit unmarkedLimit;

  private ConsumerRecord<?, ?>[] ring = new ConsumerRecord<?, ?>[64];
  private boolean[] marked = new boolean[64];
  private int head;
  private int size;
  private int hint;

  /** 1 + the offset of the last record of the marked prefix; -1 until something was marked. */
  private long committable = -1;

  /**
   * The leader epoch of the last record of the marked prefix (KIP-320), sent with the commit so
   * that the next owner can detect a log truncation; empty when unknown.
   */
  private Optional<Integer> committableEpoch = Optional.empty();

  /**
   * Delivered records not marked yet, counted also in the source's {@link UnmarkedLimit}, and
   * reported to the metrics.
   */
  private int unmarked;

  /**
   * Set once commits of this assignment were given up after the stream failed: nothing more is
   * sent for it, and later marks fail their stages with this reason.
   */
  private RuntimeException givenUp;

  /**
   * The offset of the commit sent and not yet answered, or no higher than {@link #acked} when none
   * is: a commit of {@code committable} is due only beyond both.
   */
  private long sent = -1;

  /** The highest offset the broker acknowledged for this assignment; -1 when none. */
  private long acked = -1;

  /** Commit stages waiting for an acknowledgement of at least their offset. */
  private final List<Waiting> waiting = new ArrayList<>(2);

  PartitionTracker(TopicPartition partition) {
    this(partition, UnmarkedLimit.unlimited());
  }

  PartitionTracker(TopicPartition partition, UnmarkedLimit unmarkedLimit) {
    this.partition = partition;
    this.unmarkedLimit = unmarkedLimit;
  }

  /** The partition this tracker is for. */
  TopicPartition partition() {
    return partition;
  }

  /** 1 + the offset of the last record of the marked prefix; -1 until something was marked. */
  long committable() {
    return committable;
  }

  /** Records that {@code record}, the next of this partition in offset order, was delivered. */
  void delivered(ConsumerRecord<?, ?> record) {
    if (size == ring.length) {
      grow();
    }
    int slot = (head + size) & (ring.length - 1);
    ring[slot] = record;
    marked[slot] = false;
    size++;
    unmarked++;
    unmarkedLimit.delivered(1);
  }

  /** How many records this assignment delivered that are not marked processed yet. */
  int unmarked() {
    return unmarked;
  }

  /**
   * Marks {@code record} processed.
   *
   * @return true when it is a record delivered under this assignment (marked now or before), false
   *     when this assignment never delivered it
   */
  boolean mark(ConsumerRecord<?, ?> record) {
    long offset = record.offset();
    if (offset < committable) {
      // Popped, so marked before: a repeated mark. (A record of an earlier assignment with such an
      // offset lands here too; waiting for this assignment's commit, which already covers it, is
      // harmless.)
      return true;
    }
    int index = find(record, offset);
    if (index < 0) {
      return false;
    }
    int slot = (head + index) & (ring.length - 1);
    if (!marked[slot]) {
      marked[slot] = true;
      unmarked--;
      unmarkedLimit.marked(1);
    }
    hint = index + 1;
    return true;
  }

  /** Pops the marked prefix, advancing {@link #committable}. */
  void advance() {
    int mask = ring.length - 1;
    int popped = 0;
    while (size > 0 && marked[head]) {
      committable = ring[head].offset() + 1;
      committableEpoch = ring[head].leaderEpoch();
      ring[head] = null;
      marked[head] = false;
      head = (head + 1) & mask;
      size--;
      popped++;
    }
    hint = Math.max(0, hint - popped);
  }

  /**
   * The one rule for when a commit is due: marked progress that is neither acknowledged nor in a
   * commit awaiting its answer. Marks count once {@link #advance()} has popped them.
   */
  boolean commitDue() {
    return committable > sent && committable > acked && givenUp == null;
  }

  /** A commit of {@link #committable} is being sent: it is no longer due. Returns its offset. */
  long commitSent() {
    sent = committable;
    return committable;
  }

  /** The leader epoch to commit with {@link #committable}; see {@link #committableEpoch}. */
  Optional<Integer> committableEpoch() {
    return committableEpoch;
  }

  /** Why commits of this assignment were given up, or null while they go on. */
  RuntimeException givenUp() {
    return givenUp;
  }

  /** After the stream failed, commits of this assignment can no longer succeed: stop sending. */
  void giveUp(RuntimeException reason) {
    if (givenUp == null) {
      givenUp = reason;
    }
  }

  /**
   * Whether everything delivered is marked and acknowledged, and nothing is in flight: the state
   * in which the consumer's position may be committed past records it never returned.
   */
  boolean settled() {
    return size == 0 && committable == acked && sent <= acked && givenUp == null;
  }

  /**
   * The consumer's position is {@code position} while this assignment is {@link #settled()} and no
   * fetched record of it waits for delivery: every offset below it was returned by consumer.poll
   * and marked, or is no record at all (a transaction marker, an aborted record under {@code
   * read_committed}). Committing it lets the partition's lag reach 0.
   *
   * @return whether a commit became due
   */
  boolean skipTo(long position) {
    if (!settled() || position <= committable || committable < 0) {
      return false;
    }
    committable = position;
    return true;
  }

  /**
   * The commit sent will not be counted on: it was refused, or its answer is not waited for (a
   * synchronous commit supersedes it). What it would have covered is due again.
   */
  void forgetSentCommit() {
    sent = acked;
  }

  /** Registers {@code waiter} for an acknowledgement of at least {@code offset}; false if acked. */
  boolean await(long offset, CommitWaiter waiter) {
    if (acked >= offset) {
      return false;
    }
    waiting.add(new Waiting(offset, waiter));
    return true;
  }

  /** The broker acknowledged {@code offset}: resolves the waiters it covers. */
  void acknowledged(long offset, AfterUnlock completions) {
    if (offset > acked) {
      acked = offset;
    }
    waiting.removeIf(
        w -> {
          if (w.offset <= acked) {
            w.waiter.partitionDone(completions);
            return true;
          }
          return false;
        });
  }

  /** A commit up to {@code offset} failed for good: fails the waiters it would have covered. */
  void commitFailed(long offset, Throwable error, AfterUnlock completions) {
    waiting.removeIf(
        w -> {
          if (w.offset <= offset) {
            w.waiter.fail(error, completions);
            return true;
          }
          return false;
        });
  }

  /**
   * This assignment ended (revoked, lost or closed): every waiter completes, since the partition's
   * records are no longer this member's to commit; the new owner reads the uncommitted ones again.
   */
  void ended(AfterUnlock completions) {
    for (Waiting w : waiting) {
      w.waiter.partitionDone(completions);
    }
    waiting.clear();
    unmarkedLimit.marked(unmarked); // no longer this member's: they no longer count
    unmarked = 0;
    while (size > 0) {
      ring[head] = null;
      head = (head + 1) & (ring.length - 1);
      size--;
    }
  }

  private int find(ConsumerRecord<?, ?> record, long offset) {
    int mask = ring.length - 1;
    if (hint < size && ring[(head + hint) & mask] == record) {
      return hint;
    }
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long at = ring[(head + mid) & mask].offset();
      if (at < offset) {
        lo = mid + 1;
      } else if (at > offset) {
        hi = mid - 1;
      } else {
        return ring[(head + mid) & mask] == record ? mid : -1;
      }
    }
    return -1;
  }

  private void grow() {
    int n = ring.length;
    ConsumerRecord<?, ?>[] biggerRing = new ConsumerRecord<?, ?>[n * 2];
    boolean[] biggerMarked = new boolean[n * 2];
    for (int i = 0; i < size; i++) {
      biggerRing[i] = ring[(head + i) & (n - 1)];
      biggerMarked[i] = marked[(head + i) & (n - 1)];
    }
    ring = biggerRing;
    marked = biggerMarked;
    head = 0;
  }

  /** A commit stage's interest in this partition: done once {@code offset} is acknowledged. */
  private static final class Waiting {
    final long offset;
    final CommitWaiter waiter;

    Waiting(long offset, CommitWaiter waiter) {
      this.offset = offset;
      this.waiter = waiter;
    }
  }
}
