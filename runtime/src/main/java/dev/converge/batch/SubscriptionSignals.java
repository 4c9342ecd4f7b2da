package dev.converge.batch;

import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The calls a {@link PublisherSource} makes to its {@link Flow.Subscription}, serialized as
 * Reactive Streams rule 2.7 requires: demand and cancellation are recorded under the source's lock
 * ({@link #request}, {@link #cancel}) and sent outside it by whichever thread finds no other one
 * sending ({@link #send}), which loops until nothing is left to send. A request that re-enters
 * through a synchronous {@code onNext} is thus sent after the call in progress returns, which also
 * bounds the recursion (rule 3.3).
 *
 * <p>Guarded by the source's lock: {@link #send} takes it, every other method is called with it.
 */
final class SubscriptionSignals {

  private final ReentrantLock lock;

  /** Told, without the lock, when {@code request} throws: the stream has failed. */
  private final Consumer<RuntimeException> requestFailed;

  /** The accepted subscription; null until onSubscribe. */
  private Flow.Subscription subscription;

  /** Demand recorded and not yet sent to the subscription. */
  private long requestToSend;

  /** The subscription is to be cancelled (close or a protocol violation); sent once. */
  private boolean cancelToSend;

  /** The cancel has been sent: nothing more is sent. */
  private boolean cancelSent;

  /** A thread is calling the subscription outside the lock; the others leave their calls to it. */
  private boolean signalling;

  SubscriptionSignals(ReentrantLock lock, Consumer<RuntimeException> requestFailed) {
    this.lock = lock;
    this.requestFailed = requestFailed;
  }

  boolean isSubscribed() {
    return subscription != null;
  }

  /** The publisher's onSubscribe, accepted: calls go to {@code accepted} from now on. */
  void subscribed(Flow.Subscription accepted) {
    subscription = accepted;
  }

  /** Records demand for {@code n} more items. */
  void request(long n) {
    requestToSend += n;
  }

  /** Whether recorded demand waits to be sent. */
  boolean hasRequests() {
    return requestToSend > 0;
  }

  /** Records that the subscription is to be cancelled; no demand is sent after that. */
  void cancel() {
    cancelToSend = true;
  }

  /**
   * Without the lock: sends recorded demand and cancellation to the subscription, one call at a
   * time; returns at once if another thread is sending, which then sends what was recorded
   * meanwhile too.
   */
  void send() {
    while (true) {
      Flow.Subscription s;
      long n = 0;
      lock.lock();
      try {
        if (signalling || subscription == null || cancelSent) {
          return;
        }
        if (cancelToSend) {
          cancelSent = true;
        } else if (requestToSend > 0) {
          n = requestToSend;
          requestToSend = 0;
        } else {
          return;
        }
        signalling = true;
        s = subscription;
      } finally {
        lock.unlock();
      }
      RuntimeException failed = null;
      try {
        if (n > 0) {
          s.request(n);
        } else {
          s.cancel();
        }
      } catch (RuntimeException e) {
        // Rules 3.15 and 3.16 say these return normally; a subscription that throws has failed the
        // stream (a throwing cancel changes nothing: the stream is over for us already).
        failed = n > 0 ? e : null;
      } finally {
        lock.lock();
        try {
          signalling = false;
        } finally {
          lock.unlock();
        }
      }
      if (failed != null) {
        requestFailed.accept(failed); // records the failure and the cancel this loop sends next
      }
    }
  }
}
