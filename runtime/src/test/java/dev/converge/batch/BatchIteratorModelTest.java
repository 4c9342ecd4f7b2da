package dev.converge.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random operation sequences (send, advance time, next, cancel a pending next, end or fail the source,
 * close) against a small reference model, one seeded run per seed. A failing seed replays alone:
 * run {@code check(seed)} with it.
 *
 * <p>Each seed runs three times, with the same operations: with the channel behind a plain {@link
 * BatchSource} wrapper (the iterator polls it); with the iterator reading the channel directly (the
 * channel puts sent items straight into the batch being assembled); and with a publisher read
 * through {@link BatchSources#fromPublisher}, which feeds the iterator directly too (a send is then
 * an {@code onNext} when there is demand). Time advances one nanosecond at a time so that the moment
 * each item is received is known exactly.
 *
 * <p>Checked after every operation: the iterator's own invariants ({@code checkInvariants}), batch
 * sizes in 1..maxSize, sequences consecutive from 0, items in send order, at most (prefetch + 1) *
 * maxSize items held, no received item waiting past maxWait while a consumer waits, no batch due by
 * TIME before maxWait has passed since its first item arrived, at most one timer pending, and none
 * once maxWait has passed since the last item arrived (the idle rule). At the end:
 * delivered + close() leftovers + what is still in the channel == everything sent, in order, nothing
 * twice.
 */
class BatchIteratorModelTest {

  static long[] seeds() {
    long[] seeds = new long[400];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = 1_000 + i;
    }
    return seeds;
  }

  /** How items reach the iterator. */
  enum Path {
    POLLED_CHANNEL,
    DIRECT_CHANNEL,
    DIRECT_PUBLISHER
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomOperationsKeepEveryRule(long seed) {
    check(seed, Path.POLLED_CHANNEL);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomOperationsKeepEveryRuleOnTheDirectChannelPath(long seed) {
    check(seed, Path.DIRECT_CHANNEL);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomOperationsKeepEveryRuleOnTheDirectPublisherPath(long seed) {
    check(seed, Path.DIRECT_PUBLISHER);
  }

  private static void check(long seed, Path path) {
    try {
      run(seed, path);
    } catch (AssertionError e) {
      throw new AssertionError(path + ", seed " + seed + ": " + e.getMessage(), e);
    }
  }

  /** A synchronous publisher driven by the test thread: a send is an onNext while there is demand. */
  private static final class DemandPublisher implements Flow.Publisher<Integer> {
    private Flow.Subscriber<? super Integer> subscriber;
    private long demand;
    private boolean cancelled;

    @Override
    public void subscribe(Flow.Subscriber<? super Integer> s) {
      subscriber = s;
      s.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              assertTrue(n > 0, "request must be positive (rule 3.9), was " + n);
              demand += n;
            }

            @Override
            public void cancel() {
              cancelled = true;
            }
          });
    }

    boolean offer(int item) {
      if (subscriber == null || cancelled || demand == 0) {
        return false;
      }
      demand--;
      subscriber.onNext(item);
      return true;
    }
  }

  private static void run(long seed, Path path) {
    boolean direct = path != Path.POLLED_CHANNEL;
    Random random = new Random(seed);
    int maxSize = 1 + random.nextInt(5);
    long maxWait = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5);
    int prefetch = random.nextInt(4);
    String setup = "maxSize=" + maxSize + " maxWait=" + maxWait + " prefetch=" + prefetch + " ";

    ManualScheduler time = new ManualScheduler();
    BatchChannel<Integer> channel = BatchChannel.bounded(1 + random.nextInt(8));
    Map<Integer, Long> receivedAt = new HashMap<>();
    BatchSource<Integer> source =
        new BatchSource<>() {
          @Override
          public CompletionStage<List<Integer>> poll(int max) {
            CompletableFuture<List<Integer>> poll = channel.poll(max).toCompletableFuture();
            poll.thenAccept(items -> items.forEach(i -> receivedAt.put(i, time.nanoTime())));
            return poll;
          }

          @Override
          public void close() {
            channel.close();
          }
        };
    DemandPublisher publisher = new DemandPublisher();
    BatchSource<Integer> fromPublisher = BatchSources.fromPublisher(publisher);
    BatchSource<Integer> read =
        switch (path) {
          case POLLED_CHANNEL -> source;
          case DIRECT_CHANNEL -> channel;
          case DIRECT_PUBLISHER -> fromPublisher;
        };
    BatchIterator<Integer> iterator =
        BatchIterator.builder(read)
            .maxSize(maxSize)
            .maxWait(Duration.ofNanos(maxWait))
            .prefetch(prefetch)
            .scheduler(time)
            .build();

    List<Integer> sent = new ArrayList<>();
    // The direct path has no poll to watch: items are received in send order, so the iterator's
    // count of received items says which ones it has received, read after every change of time.
    Runnable recordReceived =
        () -> {
          if (direct) {
            for (long i = receivedAt.size(); i < iterator.receivedCount(); i++) {
              receivedAt.put(sent.get((int) i), time.nanoTime());
            }
          }
        };
    TreeMap<Long, Batch<Integer>> delivered = new TreeMap<>();
    List<CompletableFuture<Optional<Batch<Integer>>>> pending = new ArrayList<>();
    RuntimeException failure = null;
    boolean ended = false;
    boolean closed = false;
    int nextItem = 0;
    List<String> ops = new ArrayList<>();
    List<String> early = new ArrayList<>();

    for (int step = 0; step < 200 && !closed; step++) {
      int op = random.nextInt(100);
      if (op < 40) {
        boolean accepted =
            !ended
                && (path == Path.DIRECT_PUBLISHER
                    ? publisher.offer(nextItem)
                    : channel.trySend(nextItem));
        if (accepted) {
          ops.add("send " + nextItem);
          sent.add(nextItem++);
        }
      } else if (op < 60) {
        long by = random.nextInt((int) maxWait + 2);
        ops.add("advance " + by);
        for (long nanos = 0; nanos < by; nanos++) {
          time.advance(Duration.ofNanos(1));
          recordReceived.run();
        }
      } else if (op < 82) {
        ops.add("next");
        CompletableFuture<Optional<Batch<Integer>>> next = iterator.next();
        // When a TIME batch is handed over, maxWait has passed since its first item arrived. Runs
        // as the batch is handed over (in a timer, virtual time reads the instant it was due).
        next.thenAccept(
            batch ->
                batch
                    .filter(b -> b.reason() == Batch.Reason.TIME)
                    .ifPresent(
                        b -> {
                          Long first = receivedAt.get(b.items().get(0));
                          long waited =
                              first == null
                                  ? 0
                                  : time.nanoTime() - first; // null: received just now
                          if (waited < maxWait) {
                            early.add(
                                "batch " + b.sequence() + " due by TIME after " + waited + " ns");
                          }
                        }));
        pending.add(next);
      } else if (op < 92) {
        if (!pending.isEmpty()) {
          ops.add("cancel");
          pending.get(random.nextInt(pending.size())).cancel(false);
        }
      } else if (op < 95) {
        if (!ended) {
          ended = true;
          if (random.nextBoolean()) {
            ops.add("complete");
            if (path == Path.DIRECT_PUBLISHER) {
              publisher.subscriber.onComplete();
            } else {
              channel.complete();
            }
          } else {
            ops.add("fail");
            failure = new IllegalStateException("source failed, seed " + seed);
            if (path == Path.DIRECT_PUBLISHER) {
              publisher.subscriber.onError(failure);
            } else {
              channel.fail(failure);
            }
          }
        }
      } else if (op < 96) {
        ops.add("close");
        closed = true;
      }
      String context = setup + "after " + ops;
      recordReceived.run();
      try {
        iterator.checkInvariants();
      } catch (IllegalStateException broken) {
        throw new AssertionError(broken.getMessage() + "; " + context, broken);
      }
      assertEquals(receivedAt.size(), iterator.receivedCount(), "items received; " + context);
      assertEquals(List.of(), early, "no batch is due by TIME early; " + context);
      checkTimers(time, receivedAt, maxWait, context);
      assertTrue(
          publisher.demand <= maxSize,
          "requested ahead: " + publisher.demand + " > the room of one batch; " + context);
      collect(pending, delivered, failure, context);
      checkStep(
          delivered,
          sent,
          receivedAt,
          pending,
          time.nanoTime(),
          maxSize,
          maxWait,
          prefetch,
          context);
    }

    List<Integer> leftovers = iterator.close();
    collect(pending, delivered, failure, setup + "after close, " + ops);
    for (CompletableFuture<Optional<Batch<Integer>>> next : pending) {
      assertTrue(next.isDone(), "close() completes every pending next()");
    }
    List<Integer> accounted = new ArrayList<>();
    long expectedSequence = 0;
    for (Map.Entry<Long, Batch<Integer>> entry : delivered.entrySet()) {
      assertEquals(expectedSequence++, entry.getKey(), setup + "sequence gap " + ops);
      accounted.addAll(entry.getValue().items());
    }
    accounted.addAll(leftovers);
    BatchSource<Integer> remaining = path == Path.DIRECT_PUBLISHER ? fromPublisher : channel;
    CompletableFuture<List<Integer>> rest = remaining.poll(Integer.MAX_VALUE).toCompletableFuture();
    if (rest.isDone() && !rest.isCompletedExceptionally()) {
      accounted.addAll(rest.join());
    }
    assertEquals(sent, accounted, setup + "delivered + leftovers + channel == sent; " + ops);
  }

  /**
   * Idle is idle: at most one linger timer is pending, and none once maxWait has passed since the
   * last item was received (the one timer may stay armed across batches only while items arrive).
   */
  private static void checkTimers(
      ManualScheduler time, Map<Integer, Long> receivedAt, long maxWait, String context) {
    assertTrue(
        time.pendingTimers() <= 1,
        time.pendingTimers() + " timers pending, at most one; " + context);
    long last =
        receivedAt.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
    if (last == Long.MIN_VALUE || time.nanoTime() - last >= maxWait) {
      assertEquals(
          0,
          time.pendingTimers(),
          "a timer pending maxWait after the last item was received; " + context);
    }
  }

  /** Records completed next() futures; drops them from pending. */
  private static void collect(
      List<CompletableFuture<Optional<Batch<Integer>>>> pending,
      TreeMap<Long, Batch<Integer>> delivered,
      RuntimeException failure,
      String context) {
    pending.removeIf(
        next -> {
          if (!next.isDone()) {
            return false;
          }
          if (next.isCancelled()) {
            return true;
          }
          try {
            next.join()
                .ifPresent(
                    batch -> {
                      Batch<Integer> previous = delivered.put(batch.sequence(), batch);
                      if (previous != null) {
                        fail("batch " + batch.sequence() + " delivered twice; " + context);
                      }
                    });
          } catch (CompletionException e) {
            assertSame(
                failure, e.getCause(), "next() fails only with the source's failure; " + context);
          }
          return true;
        });
  }

  private static void checkStep(
      TreeMap<Long, Batch<Integer>> delivered,
      List<Integer> sent,
      Map<Integer, Long> receivedAt,
      List<CompletableFuture<Optional<Batch<Integer>>>> pending,
      long now,
      int maxSize,
      long maxWait,
      int prefetch,
      String context) {
    int deliveredItems = 0;
    int expectedItem = 0;
    long expectedSequence = 0;
    for (Map.Entry<Long, Batch<Integer>> entry : delivered.entrySet()) {
      Batch<Integer> batch = entry.getValue();
      if (entry.getKey() != expectedSequence) {
        break; // a later batch was delivered to an earlier-completing future; checked at the end
      }
      expectedSequence++;
      assertTrue(
          batch.size() >= 1 && batch.size() <= maxSize,
          "batch size " + batch.size() + " outside 1.." + maxSize + "; " + context);
      for (int item : batch.items()) {
        assertEquals(sent.get(expectedItem++), item, "order; " + context);
      }
      deliveredItems += batch.size();
    }
    int held = 0;
    long oldest = Long.MAX_VALUE;
    for (int item = deliveredItems; item < sent.size(); item++) {
      Long at = receivedAt.get(sent.get(item));
      if (at != null) {
        held++;
        oldest = Math.min(oldest, at);
      }
    }
    assertTrue(
        held <= (long) (prefetch + 1) * maxSize,
        "holds " + held + " items, bound " + (prefetch + 1) * maxSize + "; " + context);
    boolean consumerWaits = pending.stream().anyMatch(next -> !next.isDone());
    if (consumerWaits && held > 0) {
      assertTrue(held < maxSize, "a full batch waits while a consumer waits; " + context);
      assertTrue(
          now - oldest < maxWait,
          "an item waits " + (now - oldest) + " ns > maxWait while a consumer waits; " + context);
    }
  }
}
