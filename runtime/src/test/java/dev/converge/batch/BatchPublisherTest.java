package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** publisher(): demand, completion, failure, cancellation, single subscriber. */
class BatchPublisherTest {

  @Test
  void deliversRequestedBatchesThenCompletesWithoutDemand() {
    Fixture f = new Fixture(2, Duration.ofMillis(10), 1);
    RecordingSubscriber<Batch<Integer>> subscriber = new RecordingSubscriber<>();
    f.iterator.publisher().subscribe(subscriber);
    f.sendRange(0, 4);
    subscriber.request(2);
    f.channel.complete();
    assertEquals(2, subscriber.items.size());
    assertTrue(subscriber.completed);
  }

  @Test
  void failureIsSignalledAfterTheBatchesBeforeIt() {
    Fixture f = new Fixture(2, Duration.ofMillis(10), 1);
    RecordingSubscriber<Batch<Integer>> subscriber = new RecordingSubscriber<>();
    f.iterator.publisher().subscribe(subscriber);
    f.send(1);
    IllegalStateException boom = new IllegalStateException("boom");
    f.channel.fail(boom);
    assertEquals(List.of(), subscriber.items);
    assertSame(null, subscriber.error, "the batch before the failure needs demand first");
    subscriber.request(1);
    assertEquals(List.of(1), subscriber.items.get(0).items());
    assertSame(boom, subscriber.error);
  }

  @Test
  void cancelClosesTheIterator() {
    Fixture f = new Fixture(2, Duration.ofMillis(10), 1);
    RecordingSubscriber<Batch<Integer>> subscriber = new RecordingSubscriber<>();
    f.iterator.publisher().subscribe(subscriber);
    subscriber.subscription.cancel();
    assertThrows(IllegalStateException.class, () -> f.channel.trySend(1));
  }

  @Test
  void nonPositiveRequestSignalsIllegalArgument() {
    Fixture f = new Fixture(2, Duration.ofMillis(10), 1);
    RecordingSubscriber<Batch<Integer>> subscriber = new RecordingSubscriber<>();
    f.iterator.publisher().subscribe(subscriber);
    subscriber.request(0);
    assertTrue(subscriber.error instanceof IllegalArgumentException);
  }

  @Test
  void secondSubscriberIsRejectedWithOnError() {
    Fixture f = new Fixture(2, Duration.ofMillis(10), 1);
    Flow.Publisher<Batch<Integer>> publisher = f.iterator.publisher();
    publisher.subscribe(new RecordingSubscriber<>());
    RecordingSubscriber<Batch<Integer>> second = new RecordingSubscriber<>();
    publisher.subscribe(second);
    assertTrue(second.error instanceof IllegalStateException);
  }

  @Test
  void requestFromInsideOnNextDoesNotRecurse() {
    CountingSource source = new CountingSource();
    BatchIterator<Long> iterator =
        BatchIterator.builder(source).maxSize(1).scheduler(new ManualScheduler()).build();
    int[] depth = {0};
    int[] maxDepth = {0};
    long[] received = {0};
    iterator
        .publisher()
        .subscribe(
            new Flow.Subscriber<>() {
              Flow.Subscription subscription;

              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
              }

              @Override
              public void onNext(Batch<Long> batch) {
                depth[0]++;
                maxDepth[0] = Math.max(maxDepth[0], depth[0]);
                if (++received[0] < 50_000) {
                  subscription.request(1);
                } else {
                  subscription.cancel();
                }
                depth[0]--;
              }

              @Override
              public void onError(Throwable throwable) {
                throw new AssertionError(throwable);
              }

              @Override
              public void onComplete() {}
            });
    assertEquals(50_000, received[0]);
    assertEquals(1, maxDepth[0]);
  }
}
