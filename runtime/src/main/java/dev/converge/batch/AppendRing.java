package dev.converge.batch;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The lock-free way into a {@link BatchChannel}: a bounded multi-producer, single-consumer ring in
 * which producers claim a slot by a compare-and-set on {@code tail} and publish their item into it,
 * without the channel's lock. Whoever holds the lock moves the published items, in claim order, into
 * the channel's buffer ({@link #pull}), from which they leave as before.
 *
 * <p><b>Capacity.</b> {@code tail} counts the items ever accepted, {@code released} those that ever
 * left the channel's buffer (minus those a cancelled poll gave back); a claim succeeds only while
 * their difference, the items the channel holds, is below {@code capacity}. Since {@code released}
 * changes only under the lock, a lock holder sees the channel's fill exactly.
 *
 * <p><b>Flags in {@code tail}.</b> {@link #ENDED} (the channel has ended) and {@link #WAITING}
 * (senders wait for room, and nobody may pass them) make every lock-free claim fail, so the claim
 * and the flag are ordered by the one compare-and-set on {@code tail}: an item claimed before the
 * flag was set is accepted, and is delivered before the end; no claim succeeds after it. Lock
 * holders claim with {@link #appendLocked}, which ignores {@link #WAITING}.
 *
 * <p><b>Wake-up handshake.</b> A producer publishes its slot, then increments {@code signals}; the
 * one whose increment finds zero becomes the drainer: it takes the lock, pulls and delivers, and
 * repeats until its decrement by the passes it made leaves zero ({@link #signal}). A publication
 * is therefore always followed by a pass that starts after it and sees it, while producers that
 * find a drainer at work return at once: under contention the lock is taken once per run of items,
 * not once per item.
 *
 * @param <T> the item type
 */
final class AppendRing<T> {

  /** The channel has ended: no claim succeeds any more. */
  static final long ENDED = 1L << 62;

  /** Senders wait for room: lock-free claims fail, so that they cannot pass them. */
  static final long WAITING = 1L << 61;

  private static final long COUNT = WAITING - 1;
  private static final long FLAGS = ENDED | WAITING;

  /**
   * The most slots of a ring: a channel of a larger capacity holds the rest of its items in its
   * buffer, and a producer finding the ring full takes the lock.
   */
  private static final int MAX_SLOTS = 1 << 12;

  private final AtomicReferenceArray<T> slots;
  private final int mask;
  private final int capacity;

  /** Items ever claimed (the low bits) and the flags. */
  private final AtomicLong tail = new AtomicLong();

  /** Items that left the channel; written only under the channel's lock. */
  private volatile long released;

  /** The next slot to pull; written only under the channel's lock. */
  private volatile long head;

  private final AtomicInteger signals = new AtomicInteger();

  AppendRing(int capacity) {
    this.capacity = capacity;
    int size = capacity <= 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
    this.slots = new AtomicReferenceArray<>(Math.min(size, MAX_SLOTS));
    this.mask = slots.length() - 1;
  }

  private int index(long position) {
    return (int) position & mask;
  }

  /**
   * Without the lock: claims a slot and publishes {@code item} into it, if the channel has room,
   * has not ended and no sender waits. The caller then calls {@link #signal}.
   */
  boolean tryAppend(T item) {
    while (true) {
      long t = tail.get();
      if ((t & FLAGS) != 0 || t - released >= capacity || t - head >= slots.length()) {
        return false;
      }
      if (tail.compareAndSet(t, t + 1)) {
        slots.setRelease(index(t), item);
        return true;
      }
    }
  }

  /**
   * Lock held: claims a slot for {@code item}, passing {@link #WAITING}, if the channel has room.
   * The caller has checked that the channel has not ended. If the channel has room but the ring
   * has none, the ring's oldest slot is claimed and about to be published: this pulls into {@code
   * buffer} and spins until it is.
   */
  boolean appendLocked(T item, ArrayDeque<T> buffer) {
    while (true) {
      long t = tail.get();
      long count = t & COUNT;
      if (count - released >= capacity) {
        return false;
      }
      if (count - head >= slots.length()) {
        pull(buffer);
        Thread.onSpinWait();
      } else if (tail.compareAndSet(t, t + 1)) {
        slots.setRelease(index(count), item);
        return true;
      }
    }
  }

  /** Sets a flag ({@link #ENDED} or {@link #WAITING}); lock held. */
  void set(long flag) {
    tail.getAndUpdate(t -> t | flag);
  }

  /** Clears {@link #WAITING}; lock held. */
  void clearWaiting() {
    if ((tail.get() & WAITING) != 0) {
      tail.getAndUpdate(t -> t & ~WAITING);
    }
  }

  /**
   * Lock held: moves the published items, in claim order, to the end of {@code buffer}; stops at
   * the first claimed slot whose item is not published yet (its producer signals once it is).
   */
  void pull(ArrayDeque<T> buffer) {
    long end = tail.get() & COUNT;
    long next = head;
    while (next < end) {
      int index = index(next);
      T item = slots.getAcquire(index);
      if (item == null) {
        break;
      }
      slots.setRelease(index, null);
      buffer.add(item);
      next++;
    }
    head = next;
  }

  /** Whether no flag stops lock-free claims and only a lack of room does. */
  boolean isFull() {
    long t = tail.get();
    return (t & FLAGS) == 0 && (t - released >= capacity || t - head >= slots.length());
  }

  /** Lock held: whether every claimed slot has been pulled. */
  boolean isPulled() {
    return (tail.get() & COUNT) == head;
  }

  /** Lock held: how many items the channel holds (in the ring or its buffer). */
  long held() {
    return (tail.get() & COUNT) - released;
  }

  /** Lock held: {@code count} items left the channel (negative: given back to it). */
  void release(int count) {
    released += count;
  }

  /**
   * After a publication: unless another thread is draining, drains by running {@code pass} (which
   * takes the lock, pulls and delivers) until no publication is left that a pass may have missed.
   * A pass that throws does not end the draining, which others count on: the first exception is
   * rethrown once it is over.
   */
  void signal(Runnable pass) {
    if (signals.getAndIncrement() != 0) {
      return; // the drainer's next pass sees this publication
    }
    RuntimeException first = null;
    int passes = 1;
    do {
      try {
        pass.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
      passes = signals.addAndGet(-passes);
    } while (passes != 0);
    if (first != null) {
      throw first;
    }
  }
}
