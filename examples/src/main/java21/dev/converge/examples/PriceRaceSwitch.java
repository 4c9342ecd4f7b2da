package dev.converge.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Java 21 way to consume Converge's generated types: an exhaustive {@code switch} with record
 * patterns over the sealed {@code PriceQuote}, and nested record patterns that take the generated
 * {@code Enrichment} record apart. No {@code default} branch: if the price race gained a third
 * parameter, every switch here would stop compiling until it handled the new variant.
 *
 * <p>Compiled only on JDK 21+ (the {@code java21-example} profile). Its {@link #main} races the
 * local pricing service, failing half of its calls, against the fallback cache a few times and
 * prints how each race was decided.
 */
public final class PriceRaceSwitch {

  private PriceRaceSwitch() {}

  /**
   * Resolves a price race's result; the Java 21 counterpart of {@link ResolvedPrices#of}.
   *
   * @param quote the race's result
   * @return the winning prices, tagged with the side that won
   */
  public static ResolvedPrices resolve(PriceQuote quote) {
    return switch (quote) {
      case PriceQuote.Primary(Prices prices) -> new ResolvedPrices(prices, PriceOrigin.PRIMARY);
      case PriceQuote.Fallback(Prices prices) -> new ResolvedPrices(prices, PriceOrigin.FALLBACK);
    };
  }

  /**
   * Describes a price race's result in words, with a guard on one variant.
   *
   * @param quote the race's result
   * @return one line
   */
  public static String describe(PriceQuote quote) {
    return switch (quote) {
      case PriceQuote.Primary(Prices prices) when prices.centsByProduct().size() == 1 ->
          "pricing service: 1 price";
      case PriceQuote.Primary(Prices prices) ->
          "pricing service: " + prices.centsByProduct().size() + " prices";
      case PriceQuote.Fallback(Prices prices) ->
          "fallback cache: " + prices.centsByProduct().size() + " prices";
    };
  }

  /**
   * Tells where an enrichment's prices came from, taking the generated record apart with a nested
   * record pattern.
   *
   * @param enrichment a joined enrichment
   * @return the side of the price race that won
   */
  public static PriceOrigin originOf(Enrichment enrichment) {
    if (enrichment instanceof Enrichment(var customers, ResolvedPrices(var prices, var origin))) {
      return origin;
    }
    throw new AssertionError("a record pattern over a non-null record always matches");
  }

  /**
   * Races the pricing service against the fallback cache {@code races} times and counts who won.
   *
   * @param races how many races
   * @param failureRate fraction of pricing calls that fail
   * @param out where each race's result is printed
   * @return the number of races each side won
   * @throws Exception if the pricing service cannot start or a race fails
   */
  static Map<PriceOrigin, Integer> race(int races, double failureRate, PrintStream out)
      throws Exception {
    Catalog catalog = new Catalog(100);
    Map<PriceOrigin, Integer> wins = new EnumMap<>(PriceOrigin.class);
    ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("races"));
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog);
        PricingServer server =
            PricingServer.start(catalog, Duration.ofMillis(2), failureRate, 21)) {
      PricingClient client = new PricingClient(server.pricesUri(), cache);
      EnrichmentLookups lookups = ConvergeEnrichmentLookups.create(executor);
      Set<Long> products = Set.of(7L, 11L, 13L);
      for (int i = 0; i < races; i++) {
        PriceQuote quote = lookups.price(() -> client.fetch(products),
            () -> cache.afterDeadline(products, Duration.ofMillis(200))).get();
        out.println("race " + i + ": " + describe(quote));
        wins.merge(resolve(quote).origin(), 1, Integer::sum);
      }
    } finally {
      executor.shutdownNow();
    }
    return wins;
  }

  /**
   * Runs ten races with half of the pricing calls failing.
   *
   * @param args ignored
   * @throws Exception if the pricing service cannot start or a race fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println("wins: " + race(10, 0.5, System.out));
  }
}
