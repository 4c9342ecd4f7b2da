package dev.converge.examples;

import dev.converge.Join;
import dev.converge.Race;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The lookups that enrich one batch of orders, declared the Converge way: the annotation processor
 * generates {@code ConvergeEnrichmentLookups} implementing this interface, the sealed interface
 * {@code PriceQuote} (variants {@code PriceQuote.Primary} and {@code PriceQuote.Fallback}) and the
 * record {@code Enrichment(Map<Long, Customer> customers, ResolvedPrices prices)}.
 */
public interface EnrichmentLookups {

  /**
   * Races the pricing service against the fallback cache. The first success wins, so a failing
   * pricing call does not fail the batch: the fallback, which answers once the deadline has passed,
   * wins instead. The loser is cancelled: a late HTTP call is abandoned, an unneeded fallback timer
   * is removed.
   *
   * @param primary starts the HTTP call to the pricing service
   * @param fallback starts the deadline after which the cached prices are served
   * @return the winning prices, as the variant of the side that won
   */
  @Race(Race.Mode.FIRST_SUCCESS)
  CompletableFuture<PriceQuote> price(
      Supplier<CompletionStage<Prices>> primary, Supplier<CompletionStage<Prices>> fallback);

  /**
   * Loads the batch's customers while its prices are being raced, and joins both. If either fails
   * the result fails at once and the other is cancelled (which stops the lookup's retries).
   *
   * @param customers starts the JDBC query for the batch's customers, retried while the database
   *     is unreachable
   * @param prices the batch's price race
   * @return both results, as one record
   */
  @Join
  CompletableFuture<Enrichment> enrich(
      Supplier<CompletionStage<Map<Long, Customer>>> customers,
      CompletionStage<ResolvedPrices> prices);
}
