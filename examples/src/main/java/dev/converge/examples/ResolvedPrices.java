package dev.converge.examples;

/**
 * The prices a batch is enriched with, and where they came from: the price race's result with its
 * variant turned into a plain value.
 *
 * @param prices the unit prices
 * @param origin which side of the race won
 */
public record ResolvedPrices(Prices prices, PriceOrigin origin) {

  /**
   * Resolves the result of the price race. {@code fold} is the Java 17 way to handle every variant
   * of a generated sealed type; adding a branch to the race would make this line fail to compile.
   *
   * @param quote the race's result
   * @return the winning prices, tagged with the side that won
   */
  public static ResolvedPrices of(PriceQuote quote) {
    return quote.fold(
        primary -> new ResolvedPrices(primary, PriceOrigin.PRIMARY),
        fallback -> new ResolvedPrices(fallback, PriceOrigin.FALLBACK));
  }
}
