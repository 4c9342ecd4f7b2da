package dev.converge.examples;

import dev.converge.batch.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Processes one batch of orders: the handler given to {@code BatchIterator.forEach}.
 *
 * <ol>
 *   <li>Races the pricing service (one HTTP call for the batch's products) against the fallback
 *       cache, which answers after the deadline.
 *   <li>Meanwhile loads the batch's customers with one {@code IN (…)} query, and joins both.
 *   <li>Writes the enriched orders with one batched insert in one transaction.
 * </ol>
 *
 * <p>The returned stage completes only after the commit, so {@code forEach(concurrency, …)} counts
 * the batch as in flight until then (up to {@code --concurrency} batches are, while the iterator
 * assembles the next ones in the background); a batch is counted as done only once committed:
 * at-least-once. Several batches may be processed at once: every step is thread-safe. Writing is
 * idempotent, so a batch processed again stores nothing twice. Nothing here blocks the calling
 * thread: the query and the insert run on the JDBC executor, through {@link DatabaseRetry}, so a
 * database that goes away makes the stage complete later (once it is back), not fail; the batches
 * behind it wait.
 */
final class BatchEnricher {

  private final EnrichmentLookups lookups;
  private final CustomerRepository customers;
  private final EnrichedOrderWriter writer;
  private final PricingClient pricing;
  private final FallbackPriceCache fallback;
  private final Duration priceDeadline;
  private final DatabaseRetry database;
  private final ServiceMetrics metrics;

  /**
   * Creates the enricher.
   *
   * @param lookups the generated race and join
   * @param customers loads customers
   * @param writer writes enriched orders
   * @param pricing calls the pricing service
   * @param fallback the fallback side of the price race
   * @param priceDeadline how long the pricing service gets before the fallback answers
   * @param database runs the lookup and the insert, retrying what may pass
   * @param metrics counts committed batches
   */
  BatchEnricher(
      EnrichmentLookups lookups,
      CustomerRepository customers,
      EnrichedOrderWriter writer,
      PricingClient pricing,
      FallbackPriceCache fallback,
      Duration priceDeadline,
      DatabaseRetry database,
      ServiceMetrics metrics) {
    this.lookups = lookups;
    this.customers = customers;
    this.writer = writer;
    this.pricing = pricing;
    this.fallback = fallback;
    this.priceDeadline = priceDeadline;
    this.database = database;
    this.metrics = metrics;
  }

  /**
   * Enriches and commits one batch.
   *
   * @param batch the batch
   * @return a stage that completes once the batch is committed, or exceptionally if it could not be
   */
  CompletionStage<Void> process(Batch<Order> batch) {
    return process(batch.items());
  }

  /**
   * Enriches and commits one batch of orders.
   *
   * @param orders the batch's orders, at least one
   * @return a stage that completes once the orders are committed, or exceptionally if they could
   *     not be
   */
  CompletionStage<Void> process(List<Order> orders) {
    return enrich(orders).thenCompose(this::commit);
  }

  /**
   * Enriches one batch of orders without storing them: what a sink other than the database takes.
   * An order naming a customer who is not in the database is rejected, not failed.
   *
   * @param orders the batch's orders, at least one
   * @return a stage with the enriched and the rejected orders
   */
  CompletionStage<EnrichedBatch> enrich(List<Order> orders) {
    Set<Long> customerIds = new HashSet<>();
    Set<Long> productIds = new HashSet<>();
    for (Order order : orders) {
      customerIds.add(order.customerId());
      productIds.add(order.productId());
    }
    CompletableFuture<ResolvedPrices> prices =
        lookups
            .price(
                () -> pricing.fetch(productIds),
                () -> fallback.afterDeadline(productIds, priceDeadline))
            .thenApply(ResolvedPrices::of);
    return lookups
        .enrich(() -> database.call(() -> customers.load(customerIds)), prices)
        .thenApply(enrichment -> split(orders, enrichment));
  }

  private static EnrichedBatch split(List<Order> orders, Enrichment enrichment) {
    Map<Long, Customer> byId = enrichment.customers();
    List<EnrichedOrder> enriched = new ArrayList<>(orders.size());
    List<EnrichedBatch.Rejected> rejected = new ArrayList<>();
    for (Order order : orders) {
      Customer customer = byId.get(order.customerId());
      if (customer == null) {
        rejected.add(
            new EnrichedBatch.Rejected(
                order,
                "order "
                    + order.id()
                    + " names customer "
                    + order.customerId()
                    + ", who is not in the database"));
      } else {
        enriched.add(EnrichedOrder.of(order, customer, enrichment.prices()));
      }
    }
    return new EnrichedBatch(orders, enriched, rejected, enrichment.prices().origin());
  }

  /**
   * Records that the Kafka sink committed a batch (its transaction held the batch's results).
   *
   * @param batch the batch committed
   */
  void committedElsewhere(EnrichedBatch batch) {
    metrics.batchCommitted(
        batch.orders(), batch.enriched().size(), batch.origin(), System.nanoTime());
  }

  /** The database sink: a rejected order fails the batch, as the database has nowhere to put it. */
  private CompletionStage<Void> commit(EnrichedBatch batch) {
    if (!batch.rejected().isEmpty()) {
      throw new CompletionException(new IllegalStateException(batch.rejected().get(0).reason()));
    }
    return database
        .call(() -> writer.write(batch.enriched()))
        .thenAccept(
            stored ->
                metrics.batchCommitted(batch.orders(), stored, batch.origin(), System.nanoTime()));
  }
}
