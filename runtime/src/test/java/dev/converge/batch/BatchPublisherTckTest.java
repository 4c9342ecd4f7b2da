package dev.converge.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK (TestNG, run on the JUnit Platform by testng-engine) against {@link
 * BatchIterator#publisher()}: one batch of one item per element, from a synchronous source.
 */
@SuppressWarnings(
    "exports") // the TCK sits on the class path while this test is patched into the module
public class BatchPublisherTckTest extends FlowPublisherVerification<Batch<Long>> {

  public BatchPublisherTckTest() {
    super(new TestEnvironment(100));
  }

  @Override
  public Flow.Publisher<Batch<Long>> createFlowPublisher(long elements) {
    return BatchIterator.builder(new FiniteSource(elements))
        .maxSize(1)
        .prefetch(1)
        .scheduler(new ManualScheduler())
        .build()
        .publisher();
  }

  @Override
  public Flow.Publisher<Batch<Long>> createFailedFlowPublisher() {
    BatchSource<Long> failing =
        max -> CompletableFuture.failedFuture(new IllegalStateException("source failed"));
    return BatchIterator.builder(failing).scheduler(new ManualScheduler()).build().publisher();
  }

  @Override
  public long maxElementsFromPublisher() {
    return Long.MAX_VALUE - 1;
  }

  /** Hands out 0, 1, 2, … up to {@code count} items, each poll completing at once. */
  private static final class FiniteSource implements BatchSource<Long> {
    private final long count;
    private long next;

    FiniteSource(long count) {
      this.count = count;
    }

    @Override
    public synchronized CompletionStage<List<Long>> poll(int max) {
      long n = Math.min(max, count - next);
      List<Long> items = new ArrayList<>((int) n);
      for (long i = 0; i < n; i++) {
        items.add(next++);
      }
      return CompletableFuture.completedFuture(items);
    }
  }
}
