package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The pricing HTTP service and its client, over loopback. */
class PricingServiceTest {

  private final Catalog catalog = new Catalog(100);

  @Test
  void clientReceivesTheCatalogPriceOfEveryProductAskedFor() throws Exception {
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog);
        PricingServer server = PricingServer.start(catalog, Duration.ofMillis(1), 0.0, 1)) {
      PricingClient client = new PricingClient(server.pricesUri(), cache);

      Prices prices = client.fetch(Set.of(1L, 42L, 100L)).get();

      assertEquals(Set.of(1L, 42L, 100L), prices.centsByProduct().keySet());
      assertEquals(catalog.listPriceCents(42), prices.centsFor(42));
    }
  }

  @Test
  void failingServiceFailsTheCallWithItsStatus() throws Exception {
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog);
        PricingServer server = PricingServer.start(catalog, Duration.ZERO, 1.0, 1)) {
      PricingClient client = new PricingClient(server.pricesUri(), cache);

      ExecutionException error =
          assertThrows(ExecutionException.class, () -> client.fetch(Set.of(1L)).get());

      assertInstanceOf(PricingClient.PricingException.class, error.getCause());
      assertEquals("pricing service answered HTTP 503", error.getCause().getMessage());
    }
  }

  @Test
  void unknownProductIsABadRequest() throws Exception {
    try (FallbackPriceCache cache = new FallbackPriceCache(catalog);
        PricingServer server = PricingServer.start(catalog, Duration.ZERO, 0.0, 1)) {
      PricingClient client = new PricingClient(server.pricesUri(), cache);

      ExecutionException error =
          assertThrows(ExecutionException.class, () -> client.fetch(Set.of(101L)).get());

      assertEquals("pricing service answered HTTP 400", error.getCause().getMessage());
    }
  }
}
