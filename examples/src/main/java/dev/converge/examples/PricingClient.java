package dev.converge.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Calls the pricing service with the JDK {@link HttpClient}, asynchronously: one call per batch
 * for all of the batch's products.
 *
 * <p>Thread-safe. Cancelling a returned future also cancels the HTTP exchange behind it, which is
 * how the price race abandons a call that lost to the fallback.
 */
final class PricingClient {

  private final HttpClient http;
  private final URI pricesUri;
  private final FallbackPriceCache cache;

  /**
   * Creates the client.
   *
   * @param pricesUri where prices are served
   * @param cache learns every price the service answers, for later fallbacks
   */
  PricingClient(URI pricesUri, FallbackPriceCache cache) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.pricesUri = pricesUri;
    this.cache = cache;
  }

  /**
   * Starts a call for the prices of some products.
   *
   * @param productIds the products, at least one
   * @return a future of their prices; it fails with {@link PricingException} on a non-200 answer or
   *     an answer that misses a product, and with the transport's exception if the call fails
   */
  CompletableFuture<Prices> fetch(Set<Long> productIds) {
    String ids = productIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(pricesUri + "?ids=" + ids))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    CompletableFuture<HttpResponse<String>> call =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    CompletableFuture<Prices> prices = call.thenApply(response -> parse(response, productIds));
    // thenApply's future does not cancel its source; pass the cancellation on to the exchange.
    prices.whenComplete(
        (value, error) -> {
          if (prices.isCancelled()) {
            call.cancel(true);
          }
        });
    return prices;
  }

  private Prices parse(HttpResponse<String> response, Set<Long> productIds) {
    if (response.statusCode() != 200) {
      throw new PricingException("pricing service answered HTTP " + response.statusCode());
    }
    Map<Long, Long> cents = new HashMap<>(productIds.size() * 2);
    for (String line : response.body().split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      try {
        cents.put(
            Long.parseLong(line.substring(0, space)), Long.parseLong(line.substring(space + 1)));
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        throw new PricingException("pricing service sent a malformed line: " + line);
      }
    }
    if (!cents.keySet().containsAll(productIds)) {
      throw new PricingException("pricing service left out some of the products asked for");
    }
    Prices prices = new Prices(cents);
    cache.learn(prices);
    return prices;
  }

  /** The pricing service answered, but not with prices. */
  static final class PricingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PricingException(String message) {
      super(message, null, false, false);
    }
  }
}
