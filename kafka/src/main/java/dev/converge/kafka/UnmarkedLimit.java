package dev.converge.kafka;

/**
 * The bound on records delivered and not yet marked, which is what keeps the source's memory
 * bounded when the application never marks some records (a batch skipped, a commit forgotten).
 *
 * <p>Every delivered record stays in its partition's {@link PartitionTracker} until it is marked
 * (or its assignment ends), and an unmarked one holds back every later record of its partition. So
 * the rule is: once {@code limit} records are delivered and unmarked, the source delivers no more;
 * a pending poll stays pending, and the partitions stay paused (the member stays in the group).
 * Delivery resumes as soon as marks, or the end of an assignment, bring the count below the limit.
 * A poll never gets more records than the room left. The count is visible through {@code
 * KafkaBatchSource.unmarkedRecords()}, and reaching the limit is logged once per episode as a
 * warning, naming the limit.
 *
 * <p>Not thread-safe: guarded by the source's lock, like the trackers that update it.
 */
final class UnmarkedLimit {

  private static final System.Logger LOG = System.getLogger(KafkaBatchSource.class.getName());

  private final int limit;
  private int unmarked;
  private boolean reachedLogged;

  UnmarkedLimit(int limit) {
    this.limit = limit;
  }

  /** No limit, for a tracker used on its own. */
  static UnmarkedLimit unlimited() {
    return new UnmarkedLimit(Integer.MAX_VALUE);
  }

  /** How many more records may be delivered now; 0 while the limit is reached. */
  int room() {
    int room = limit - unmarked;
    if (room <= 0 && !reachedLogged && limit != Integer.MAX_VALUE) {
      reachedLogged = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "the Kafka source holds "
              + unmarked
              + " delivered records that were never marked (the limit, maxUnmarkedRecords, is "
              + limit
              + "): it delivers no more until some are committed. A batch that is never committed"
              + " holds back its partition's commit and this limit.");
    }
    return Math.max(0, room);
  }

  /** Whether the limit is reached: nothing may be delivered. */
  boolean full() {
    return unmarked >= limit;
  }

  /** Delivered records not yet marked. */
  int unmarked() {
    return unmarked;
  }

  void delivered(int count) {
    unmarked += count;
  }

  /** {@code count} records were marked, or left the count when their assignment ended. */
  void marked(int count) {
    unmarked -= count;
    if (unmarked < limit) {
      reachedLogged = false;
    }
  }
}
