package dev.converge.batch;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * {@link BatchSource}s over the JDK's ways of producing items: a {@link Flow.Publisher}, a blocking
 * {@link Iterator} and a {@link BlockingQueue}. ({@link BatchChannel} is the fourth: a bounded
 * channel that producers push into.)
 *
 * <h2>What every source here guarantees</h2>
 * <ul>
 *   <li>A poll completes with 1..{@code max} items, in the order they were produced, each exactly
 *       once; with an empty list once the source is exhausted, and again on every later poll; or,
 *       once the items produced before a failure have been returned, exceptionally with that
 *       failure, and again on every later poll.
 *   <li>Items are never {@code null}.
 *   <li>The returned stage is a {@link java.util.concurrent.CompletableFuture}. Cancelling it (or
 *       completing it from outside) withdraws the poll and loses nothing: items taken for it stay in
 *       the source and the next poll returns them first.
 *   <li>One poll at a time: calling {@code poll} while an earlier poll is still pending throws
 *       {@link IllegalStateException}; once that poll is complete or cancelled, the next may be made.
 *       {@code poll(max)} with {@code max < 1} throws {@link IllegalArgumentException}.
 *   <li>A poll that can be answered at once is answered on the caller's thread. Otherwise it is
 *       completed, and its dependents run, on the thread that produced the first item (a publisher's
 *       thread or an executor thread), or on the thread calling {@code close()}.
 *   <li>{@code close()} is idempotent and does not wait for a pull in progress. It completes a
 *       pending poll with an empty list unless items are already on their way to it. Items the source received and did not
 *       deliver stay in it: later polls return them, then an empty list. Those items belong to
 *       whoever closed the source; a {@link BatchIterator} that closes its source does not collect
 *       them, so a caller who wants them polls the source after closing the iterator.
 *   <li>Memory consistency: actions in a thread before it produces an item happen-before actions
 *       that follow the completion of the poll that returns it.
 * </ul>
 *
 * <p>This class cannot be instantiated.
 */
public final class BatchSources {

  private BatchSources() {}

  /**
   * Reads a {@link Flow.Publisher} with bounded demand.
   *
   * <p>The source subscribes once, on the first poll (so a cold publisher starts only when the items
   * are wanted). Each poll tops demand up so that items buffered plus items requested and not yet
   * received equal that poll's {@code max}, and requests nothing when they already reach it: at most
   * {@code max} items (the largest {@code max} polled so far) are requested ahead of the consumer or
   * held in the source, and no request is made while polling stops. Items that arrive while no poll
   * waits are buffered for the next poll, which returns them at once on the caller's thread.
   *
   * <p>Read by a {@link BatchIterator} (built directly over this source), the source does not wait
   * for polls: each {@code onNext} puts its item straight into the batch being assembled, and demand
   * is topped up to the room left in that batch whenever room appears. No future, list or callback
   * is made per item; the limits above are the same, with the batch's room in place of {@code max}.
   *
   * <p>{@code onComplete} ends the stream once the buffered items are returned; {@code onError}
   * fails it likewise. {@link BatchSource#close()} cancels the subscription (or one that arrives
   * later). The source follows the Reactive Streams rules: it requests only positive amounts, never
   * calls the subscription concurrently with itself nor while holding a lock, cancels a second
   * {@code onSubscribe}, and treats {@code onNext(null)}, {@code onError(null)} or more items than
   * requested as a protocol violation that cancels the subscription and fails the stream (with a
   * {@link NullPointerException} or {@link IllegalStateException}) after the items received before
   * it. Signals may arrive on any thread, concurrently with polls.
   *
   * @param publisher the publisher to read; subscribed to at most once
   * @param <T> the item type
   * @return a source of the publisher's items
   * @throws NullPointerException if {@code publisher} is null
   */
  public static <T> BatchSource<T> fromPublisher(Flow.Publisher<T> publisher) {
    Objects.requireNonNull(publisher, "publisher");
    return new PublisherSource<>(publisher);
  }

  /**
   * Reads a blocking {@link Iterator} on an executor, never on the polling thread.
   *
   * <p>A single pull task at a time calls {@code hasNext()} and {@code next()} on the executor, so
   * the iterator needs no thread safety of its own. A poll completes as soon as the first item is
   * taken, on the pulling thread, rather than waiting for {@code max} items: a plain iterator cannot
   * say whether its next item is ready, and waiting for it could hold items back indefinitely (past
   * any {@code maxWait}) on a slow or live iterator. The pull then carries on in the background
   * until {@code max} items are buffered, so that for a fast iterator the following polls find full
   * batches ready and return them on the caller's thread with no executor hop. The read-ahead is
   * bounded: at most {@code max} items (the largest {@code max} polled so far) are taken from the
   * iterator and not yet returned, and pulling stops while polling stops. Read by a {@link
   * BatchIterator} (built directly over this source), each pulled item goes straight into the batch
   * being assembled, and the pull carries on up to the room left in that batch; no future, list or
   * callback is made per item.
   *
   * <p>{@code hasNext() == false} ends the stream (polls complete with an empty list). An exception
   * thrown by {@code hasNext()} or {@code next()}, or a {@code null} element (a
   * {@link NullPointerException}), fails the stream after the items taken before it; the iterator
   * is not called again.
   *
   * <p>{@link BatchSource#close()} stops pulling: it interrupts the thread of a pull in progress
   * (an interruptible blocking iterator then stops) and, if the iterator is {@link AutoCloseable},
   * closes it on the calling thread right away, even while a pull is blocked in it, which is how a
   * blocking read is usually unblocked; such an iterator must tolerate {@code close()} concurrent
   * with {@code hasNext()}/{@code next()}. An exception from closing it is thrown from
   * {@code close()}: unchecked ones as they are, an {@link java.io.IOException} wrapped in an
   * {@link java.io.UncheckedIOException}, any other in a
   * {@link java.util.concurrent.CompletionException}. An item a pull takes after close stays in the
   * source (see the class documentation). The source never closes the iterator on its own; a
   * {@link BatchIterator} closes its source when it ends or is closed.
   *
   * @param iterator the iterator to read; used by one pull task at a time
   * @param executor runs the pulls; a rejected pull fails the stream with the
   *     {@link java.util.concurrent.RejectedExecutionException}
   * @param <T> the item type
   * @return a source of the iterator's elements
   * @throws NullPointerException if {@code iterator} or {@code executor} is null
   */
  public static <T> BatchSource<T> fromIterator(Iterator<T> iterator, Executor executor) {
    Objects.requireNonNull(iterator, "iterator");
    Objects.requireNonNull(executor, "executor");
    return new IteratorSource<>(iterator, executor);
  }

  /**
   * Drains a {@link BlockingQueue}.
   *
   * <p>A {@link BatchIterator} built directly over this source moves the items the queue has ready
   * into the batch being assembled with one {@code drainTo} up to the room left, without a poll, and
   * polls only when the queue is empty. Used on its own, the source works as follows.
   *
   * <p>A poll that finds items ready drains up to {@code max} of them with
   * {@link BlockingQueue#drainTo(java.util.Collection, int) drainTo} on the caller's thread, with no
   * executor hop. Otherwise a task on the executor blocks in {@link BlockingQueue#take()} for the
   * first item, drains up to {@code max - 1} more that are ready, and completes the poll on that
   * thread. Nothing is read ahead: the queue is read only for a poll that waits, so other consumers
   * of the same queue are not starved, and at most one task blocks at a time.
   *
   * <p>A queue has no end: the stream ends only when the source is closed (close the
   * {@link BatchIterator} reading it, which closes the source). If the blocked task is interrupted
   * from outside (for example by {@link java.util.concurrent.ExecutorService#shutdownNow()}), the
   * stream fails with the {@link InterruptedException} (after any items already taken) and the
   * thread's interrupt status is kept; the queue is not read again. Likewise, if the queue's
   * {@code take()} or {@code drainTo} throws, the stream fails with that exception after the items
   * taken before it (including those a failing {@code drainTo} moved before throwing), and the queue
   * is not read again: a waiting poll is never left waiting.
   *
   * <p>{@link BatchSource#close()} stops reading the queue: it interrupts a task blocked in
   * {@code take()} and completes a pending poll with an empty list. An item that task took before
   * the interrupt reached it is not lost: it stays in the source (see the class documentation).
   * Items still in the queue stay in the queue. If the poll waiting for the task is cancelled
   * instead, the task keeps waiting, and the item it takes is kept for the next poll.
   *
   * @param queue the queue to drain
   * @param executor runs the blocking {@code take()}; a rejected task fails that poll with the
   *     {@link java.util.concurrent.RejectedExecutionException}
   * @param <T> the item type
   * @return a source of the queue's items
   * @throws NullPointerException if {@code queue} or {@code executor} is null
   */
  public static <T> BatchSource<T> fromQueue(BlockingQueue<T> queue, Executor executor) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(executor, "executor");
    return new QueueSource<>(queue, executor);
  }
}
