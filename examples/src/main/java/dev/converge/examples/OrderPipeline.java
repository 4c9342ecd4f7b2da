package dev.converge.examples;

import dev.converge.batch.BatchChannel;
import dev.converge.batch.BatchIterator;
import dev.converge.batch.Scheduler;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One run of the service: sets up the database, the pricing service and the enricher, then reads
 * orders from the chosen source until it ends, and returns the counts.
 *
 * <pre>
 * source → BatchIterator (maxSize, maxWait, prefetch) → forEach(concurrency)
 *        → per batch: @Join( customers = ANY(?) query , @Race(FIRST_SUCCESS)(pricing HTTP, fallback) )
 *        → one batched idempotent INSERT, one commit (→ Kafka offsets committed, in Kafka mode)
 * </pre>
 */
final class OrderPipeline {

  /** Batches the channel can buffer ahead of the iterator; beyond that the producer waits. */
  private static final int CHANNEL_BATCHES = 4;

  /**
   * JDBC connections and threads for a run with {@code concurrency} batches in flight. A batch
   * holds one connection at a time (its lookup, then its insert), so one per batch in flight is
   * enough; at least two, so that with one batch in flight a retry's attempt need not queue.
   *
   * @param concurrency batches in flight at once
   * @return the size of the pool and of the JDBC executor
   */
  static int jdbcThreads(int concurrency) {
    return Math.max(2, concurrency);
  }

  private final ServiceOptions options;
  private final PrintStream out;
  private final CompletableFuture<Void> stop;

  /**
   * Creates a run.
   *
   * @param options what to run
   * @param out where progress lines go
   */
  OrderPipeline(ServiceOptions options, PrintStream out) {
    this(options, out, new CompletableFuture<>());
  }

  /**
   * Creates a run that also ends when {@code stop} completes, as at the end of its duration (Ctrl-C,
   * or a test stopping a member once every order is stored).
   *
   * @param options what to run
   * @param out where progress lines go
   * @param stop completing it ends the run early: the generator stops producing (what it produced
   *     is still committed); a Kafka member stops consuming
   */
  OrderPipeline(ServiceOptions options, PrintStream out, CompletableFuture<Void> stop) {
    this.options = options;
    this.out = out;
    this.stop = stop;
  }

  /**
   * Runs the service to the end.
   *
   * <p>Long because it is the run's lifecycle in one place: the database, the pricing service, the
   * metrics endpoint and the source are started in order and closed in the reverse order.
   *
   * @return the final counts
   * @throws ServiceFailure if the database cannot be reached or prepared (an outage is waited out
   *     up to {@code --give-up-after}), the pricing service cannot start, a batch cannot be
   *     committed, or (generator) an order went missing
   * @throws InterruptedException if interrupted while waiting for the run to end
   */
  ServiceMetrics.Snapshot run() throws ServiceFailure, InterruptedException {
    ServiceMetrics metrics = new ServiceMetrics();
    int jdbcThreads = jdbcThreads(options.concurrency());
    ExecutorService jdbc = Executors.newFixedThreadPool(jdbcThreads, DaemonThreads.named("jdbc"));
    try {
      DatabaseRetry retry = databaseRetry(jdbc, metrics);
      Database database =
          await(
              retry.call(
                  () ->
                      Database.open(
                          options.jdbcUrl(),
                          options.jdbcUser(),
                          options.jdbcPassword(),
                          jdbcThreads)),
              "cannot connect to the database at " + options.jdbcUrlShown());
      Catalog catalog = new Catalog(options.products());
      try (database;
          FallbackPriceCache cache = new FallbackPriceCache(catalog)) {
        await(
            retry.call(
                () -> {
                  Schema.prepare(database, options.customers());
                  return null;
                }),
            "cannot prepare the database at " + options.jdbcUrlShown());
        try (PricingServer server = startPricing(catalog);
            MetricsEndpoint endpoint = startMetrics()) {
          RunMeters meters = endpoint == null ? RunMeters.NONE : RunMeters.in(endpoint.registry());
          boolean kafka = options.source() == ServiceOptions.Source.KAFKA;
          // In Kafka mode the order id identifies an order within its topic, whichever member and
          // run stores it; a generator run's ids start at 1 each time, so the run is the stream.
          String runId = kafka ? "kafka:" + options.topic() : UUID.randomUUID().toString();
          out.println(
              "run "
                  + runId
                  + ": orders from "
                  + (kafka
                      ? "topic "
                          + options.topic()
                          + " at "
                          + options.bootstrapServers()
                          + " as group "
                          + options.group()
                          + kafkaProperties()
                      : "the generator")
                  + ", customers from "
                  + options.jdbcUrlShown()
                  + ", prices from "
                  + server.pricesUri());
          if (endpoint != null) {
            out.println("metrics at " + endpoint.uri());
          }
          BatchEnricher enricher =
              new BatchEnricher(
                  ConvergeEnrichmentLookups.create(jdbc),
                  new CustomerRepository(database),
                  new EnrichedOrderWriter(database, runId),
                  new PricingClient(server.pricesUri(), cache),
                  cache,
                  options.priceDeadline(),
                  retry,
                  metrics);
          return kafka
              ? new KafkaOrders(options, out, stop, meters).consume(enricher, metrics)
              : drain(enricher, metrics, meters);
        }
      }
    } finally {
      jdbc.shutdownNow();
    }
  }

  /**
   * The database's calls, retried while it is unreachable (at start too: a member started while the
   * database is down waits for it), up to {@code --give-up-after}.
   */
  private DatabaseRetry databaseRetry(ExecutorService jdbc, ServiceMetrics metrics) {
    Scheduler scheduler = Scheduler.system();
    OutageReporter outage =
        new OutageReporter(
            "the database at " + options.jdbcUrlShown(),
            options.giveUpAfter(),
            scheduler,
            out,
            metrics);
    return new DatabaseRetry(jdbc, scheduler, Backoff.standard(), outage, metrics);
  }

  /** " (a=b, sasl.jaas.config=[hidden])": the --kafka-property settings, secrets masked. */
  private String kafkaProperties() {
    Map<String, String> properties = options.kafkaProperties();
    return properties.isEmpty() ? "" : " (" + SecretKeys.describe(properties) + ")";
  }

  /** Waits for a start-up step; the main thread has nothing else to do meanwhile. */
  private static <T> T await(CompletableFuture<T> step, String what)
      throws ServiceFailure, InterruptedException {
    try {
      return step.get();
    } catch (ExecutionException e) {
      throw new ServiceFailure(what, e.getCause());
    } catch (InterruptedException e) {
      step.cancel(false);
      throw e;
    }
  }

  private PricingServer startPricing(Catalog catalog) throws ServiceFailure {
    try {
      return PricingServer.start(
          catalog, options.priceLatency(), options.priceFailureRate(), options.seed());
    } catch (IOException e) {
      throw new ServiceFailure("cannot start the pricing service on 127.0.0.1", e);
    }
  }

  /** The {@code --metrics-port} endpoint, or null without the flag. */
  private MetricsEndpoint startMetrics() throws ServiceFailure {
    if (options.metricsPort().isEmpty()) {
      return null;
    }
    int port = options.metricsPort().getAsInt();
    try {
      return MetricsEndpoint.start(port);
    } catch (IOException e) {
      throw new ServiceFailure("cannot serve metrics on 127.0.0.1:" + port, e);
    }
  }

  private ServiceMetrics.Snapshot drain(
      BatchEnricher enricher, ServiceMetrics metrics, RunMeters meters)
      throws ServiceFailure, InterruptedException {
    BatchChannel<Order> channel = BatchChannel.bounded(CHANNEL_BATCHES * options.maxSize());
    BatchIterator<Order> batches =
        BatchIterator.builder(channel)
            .maxSize(options.maxSize())
            .maxWait(options.maxWait())
            .prefetch(options.prefetch())
            .metrics(meters.batches("orders"))
            .build();
    Thread producer = new Thread(new OrderProducer(channel, metrics, options), "order-producer");
    producer.setDaemon(true);
    long start = System.nanoTime();
    ProgressPrinter progress = new ProgressPrinter(out, metrics, start);
    // Stopping early ends production; what was produced is still drained and committed.
    stop.thenRun(producer::interrupt);
    try {
      producer.start();
      // forEach hands a batch to the enricher while fewer than `concurrency` are uncommitted; a
      // batch counts as done once its stage completes, that is once it is committed. Meanwhile the
      // iterator assembles the next `prefetch` batches.
      batches.forEach(options.concurrency(), enricher::process).get();
    } catch (ExecutionException e) {
      throw new ServiceFailure("a batch could not be committed", e.getCause());
    } finally {
      progress.close();
      producer.interrupt();
      List<Order> undelivered = batches.close();
      producer.join();
      if (!undelivered.isEmpty()) {
        out.println(undelivered.size() + " orders received but never processed");
      }
    }
    long elapsed = metrics.lastCommitNanos(System.nanoTime()) - start;
    ServiceMetrics.Snapshot totals = metrics.snapshot();
    if (totals.committed() != totals.received()) {
      throw new ServiceFailure(
          "the run ended with orders missing",
          new IllegalStateException(
              totals.received() + " produced, " + totals.committed() + " committed"));
    }
    Report.printFinal(out, "orders produced", totals, elapsed);
    return totals;
  }
}
