package dev.converge.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/** A subscriber for single-threaded publisher tests: records signals, requests on demand. */
final class RecordingSubscriber<T> implements Flow.Subscriber<T> {
  final List<T> items = new ArrayList<>();
  Flow.Subscription subscription;
  Throwable error;
  boolean completed;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
  }

  @Override
  public void onNext(T item) {
    items.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    error = throwable;
  }

  @Override
  public void onComplete() {
    completed = true;
  }

  void request(long n) {
    subscription.request(n);
  }
}
