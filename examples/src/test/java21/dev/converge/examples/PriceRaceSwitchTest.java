package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceRaceSwitchTest {

  private static final Prices TWO_PRICES = new Prices(Map.of(1L, 100L, 2L, 200L));

  @Test
  void primaryVariantResolvesToPrimaryOrigin() {
    ResolvedPrices resolved = PriceRaceSwitch.resolve(new PriceQuote.Primary(TWO_PRICES));

    assertEquals(new ResolvedPrices(TWO_PRICES, PriceOrigin.PRIMARY), resolved);
  }

  @Test
  void fallbackVariantResolvesToFallbackOrigin() {
    ResolvedPrices resolved = PriceRaceSwitch.resolve(new PriceQuote.Fallback(TWO_PRICES));

    assertEquals(new ResolvedPrices(TWO_PRICES, PriceOrigin.FALLBACK), resolved);
  }

  @Test
  void switchAgreesWithFoldOnEveryVariant() {
    for (PriceQuote quote :
        new PriceQuote[] {new PriceQuote.Primary(TWO_PRICES), new PriceQuote.Fallback(TWO_PRICES)}) {
      assertEquals(ResolvedPrices.of(quote), PriceRaceSwitch.resolve(quote));
    }
  }

  @Test
  void guardedCaseDescribesASinglePrice() {
    assertEquals("pricing service: 1 price",
        PriceRaceSwitch.describe(new PriceQuote.Primary(new Prices(Map.of(1L, 5L)))));
    assertEquals("pricing service: 2 prices",
        PriceRaceSwitch.describe(new PriceQuote.Primary(TWO_PRICES)));
    assertEquals("fallback cache: 2 prices",
        PriceRaceSwitch.describe(new PriceQuote.Fallback(TWO_PRICES)));
  }

  @Test
  void nestedRecordPatternReadsTheOriginOfAnEnrichment() {
    Enrichment enrichment =
        new Enrichment(Map.of(), new ResolvedPrices(TWO_PRICES, PriceOrigin.FALLBACK));

    assertEquals(PriceOrigin.FALLBACK, PriceRaceSwitch.originOf(enrichment));
  }

  @Test
  void racesAgainstAnAlwaysFailingServiceAreAllWonByTheFallback() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    Map<PriceOrigin, Integer> wins =
        PriceRaceSwitch.race(3, 1.0, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals(Map.of(PriceOrigin.FALLBACK, 3), wins);
    assertEquals(3, out.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.endsWith("fallback cache: 3 prices")).count());
  }
}
