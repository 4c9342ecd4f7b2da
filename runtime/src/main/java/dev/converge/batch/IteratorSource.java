package dev.converge.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BatchSource} pulling a blocking {@link Iterator} on an executor: the adapter behind
 * {@link BatchSources#fromIterator(Iterator, Executor)}.
 *
 * <p>It is a {@link PublisherSource} over a pump: a one-subscriber publisher whose subscription pulls
 * {@code hasNext()}/{@code next()} on the executor, one item per unit of demand, in a single task at
 * a time. The publisher source supplies buffering, bounded read-ahead and cancellation safety; this
 * class supplies the pulling, the end of the iterator, and closing it.
 *
 * @param <T> the item type
 */
final class IteratorSource<T> extends DirectFeedSource<T> {

  private final Iterator<? extends T> iterator;
  private final Executor executor;
  private final PublisherSource<T> source = new PublisherSource<T>(this::subscribe);
  private final Pump pump = new Pump();
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.

  /** The publisher source's subscriber; set once, before any demand can start a pull. */
  private Flow.Subscriber<? super T> subscriber;

  /** Items requested and not yet pulled. */
  private long demand;

  /** A pull task is scheduled or running; at most one is, so the iterator is used serially. */
  private boolean running;

  /** The subscription was cancelled (the source is closing): no further pull starts. */
  private boolean cancelled;

  /** The iterator ended (hasNext false) or failed: no further pull starts. */
  private boolean finished;

  /** The thread inside hasNext()/next(), interrupted by cancel; null between pulls. */
  private Thread puller;

  /** close() has closed (or is closing) the iterator. */
  private boolean iteratorClosed;

  IteratorSource(Iterator<? extends T> iterator, Executor executor) {
    this.iterator = Objects.requireNonNull(iterator, "iterator");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public CompletionStage<List<T>> poll(int max) {
    return source.poll(max);
  }

  /** The publisher source's {@link DirectFeed}: a BatchIterator over this source reads that. */
  @Override
  DirectFeed<T> directFeed() {
    return source.directFeed();
  }

  @Override
  public void close() {
    source.close(); // cancels the pump: no new pull starts, and one in progress is interrupted
    lock.lock();
    try {
      if (iteratorClosed) {
        return;
      }
      iteratorClosed = true;
    } finally {
      lock.unlock();
    }
    if (iterator instanceof AutoCloseable closeable) {
      closeIterator(closeable);
    }
  }

  private static void closeIterator(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new CompletionException(e);
    }
  }

  /** The publisher side: {@link PublisherSource} subscribes exactly once, on its first poll. */
  private void subscribe(Flow.Subscriber<? super T> s) {
    lock.lock();
    try {
      subscriber = s;
    } finally {
      lock.unlock();
    }
    s.onSubscribe(pump);
  }

  /** Pulls as far as demand allows, on the executor, one task at a time. */
  private final class Pump implements Flow.Subscription, Runnable {

    @Override
    public void request(long n) {
      boolean start = false;
      lock.lock();
      try {
        if (cancelled || finished) {
          return;
        }
        // PublisherSource only requests n > 0 and never more than an int's worth in flight.
        demand += n;
        if (!running) {
          running = true;
          start = true;
        }
      } finally {
        lock.unlock();
      }
      if (start) {
        try {
          executor.execute(this);
        } catch (RejectedExecutionException e) {
          Flow.Subscriber<? super T> s = stop();
          s.onError(e);
        }
      }
    }

    @Override
    public void cancel() {
      lock.lock();
      try {
        cancelled = true;
        if (puller != null) {
          puller.interrupt();
        }
      } finally {
        lock.unlock();
      }
    }

    /** Marks the iteration finished and not running; returns whom to signal. */
    private Flow.Subscriber<? super T> stop() {
      lock.lock();
      try {
        finished = true;
        running = false;
        return subscriber;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void run() {
      Flow.Subscriber<? super T> s;
      while (true) {
        lock.lock();
        try {
          if (cancelled || demand == 0) {
            running = false;
            return;
          }
          puller = Thread.currentThread();
          s = subscriber;
        } finally {
          lock.unlock();
        }
        boolean hasNext = false;
        T item = null;
        Throwable error = null;
        try {
          hasNext = iterator.hasNext();
          if (hasNext) {
            item = iterator.next();
          }
        } catch (Throwable e) {
          error = e;
        }
        boolean wasCancelled;
        lock.lock();
        try {
          puller = null;
          wasCancelled = cancelled;
          if (error == null && hasNext && item != null) {
            demand--;
          } else {
            finished = true;
            running = false;
          }
        } finally {
          lock.unlock();
        }
        if (wasCancelled) {
          // cancel() interrupts only while puller is set, so the interrupt, if any, was ours.
          Thread.interrupted();
        }
        if (error != null) {
          s.onError(error);
          return;
        }
        if (!hasNext) {
          s.onComplete();
          return;
        }
        if (item == null) {
          s.onError(new NullPointerException("the iterator returned a null element"));
          return;
        }
        // Signalled even when cancelled meanwhile: the item was taken, so the source keeps it.
        s.onNext(item);
      }
    }
  }
}
