package dev.converge.kafka;

import dev.converge.internal.AfterUnlock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions this member owns now: one {@link PartitionTracker} per partition and assignment.
 *
 * <p>A tracker's identity is its assignment. A partition revoked (or lost) and assigned back gets a
 * new tracker, so a mark or an acknowledgement meant for the old one finds it no longer {@link
 * #owns owned} and does not touch the new one.
 *
 * <p>Not thread-safe: every method is called with the source's lock held. Ending an assignment
 * completes its commit stages; those completions are recorded in an {@link AfterUnlock}.
 */
final class Assignment {

  private final Map<TopicPartition, PartitionTracker> trackers = new HashMap<>();
  private final UnmarkedLimit unmarkedLimit;

  /** Creates an empty assignment whose trackers count unmarked records in {@code unmarkedLimit}. */
  Assignment(UnmarkedLimit unmarkedLimit) {
    this.unmarkedLimit = unmarkedLimit;
  }

  /** The bound on delivered records not yet marked, over every tracker. */
  UnmarkedLimit unmarkedLimit() {
    return unmarkedLimit;
  }

  /** The tracker of {@code partition}'s current assignment; null when this member lacks it. */
  PartitionTracker tracker(TopicPartition partition) {
    return trackers.get(partition);
  }

  /** Whether {@code tracker}'s assignment is still the current one. */
  boolean owns(PartitionTracker tracker) {
    return trackers.get(tracker.partition()) == tracker;
  }

  /** Records delivered under the current assignments and not marked processed yet. */
  long unmarked() {
    long unmarked = 0;
    for (PartitionTracker tracker : trackers.values()) {
      unmarked += tracker.unmarked();
    }
    return unmarked;
  }

  /** Every current tracker (a live view). */
  Collection<PartitionTracker> trackers() {
    return trackers.values();
  }

  /** The current trackers of those of {@code partitions} this member owns. */
  List<PartitionTracker> trackersOf(Collection<TopicPartition> partitions) {
    List<PartitionTracker> owned = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      PartitionTracker tracker = trackers.get(partition);
      if (tracker != null) {
        owned.add(tracker);
      }
    }
    return owned;
  }

  /**
   * Ends the assignments of {@code ended} (revoked or lost): each is removed if still current, and
   * its commit stages complete, since its records are no longer this member's to commit.
   */
  void end(Collection<PartitionTracker> ended, AfterUnlock completions) {
    for (PartitionTracker tracker : ended) {
      if (owns(tracker)) {
        trackers.remove(tracker.partition());
      }
      tracker.ended(completions);
    }
  }

  /**
   * Starts a new assignment of each of {@code partitions}. A partition assigned again without a
   * revocation first ends its old assignment here.
   *
   * @return whether an old assignment ended (its fetched records are then stale)
   */
  boolean assign(Collection<TopicPartition> partitions, AfterUnlock completions) {
    List<PartitionTracker> old = trackersOf(partitions);
    end(old, completions);
    for (TopicPartition partition : partitions) {
      trackers.put(partition, new PartitionTracker(partition, unmarkedLimit));
    }
    return !old.isEmpty();
  }

  /** Ends every assignment (the source is closing). */
  void endAll(AfterUnlock completions) {
    for (PartitionTracker tracker : trackers.values()) {
      tracker.ended(completions);
    }
    trackers.clear();
  }
}
