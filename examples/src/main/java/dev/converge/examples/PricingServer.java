package dev.converge.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pricing service the example calls: a JDK {@link HttpServer} on 127.0.0.1 at an ephemeral
 * port, answering {@code GET /prices?ids=1,2,3} with one {@code id cents} line per product.
 *
 * <p>It imitates a remote service: each answer is delayed by a random latency around the configured
 * mean (scheduled on a timer, so no thread waits for it), and a configured fraction of calls fail
 * with HTTP 503. The random choices are seeded.
 *
 * <p>Thread-safe. Requests are handled on a small pool of daemon threads; {@link #close()} stops the
 * server and both pools.
 */
final class PricingServer implements AutoCloseable {

  private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService delays;
  private final Catalog catalog;
  private final long meanLatencyNanos;
  private final double failureRate;
  private final SplittableRandom random;

  private PricingServer(
      HttpServer server, Catalog catalog, Duration meanLatency, double failureRate, long seed) {
    this.server = server;
    this.catalog = catalog;
    this.meanLatencyNanos = meanLatency.toNanos();
    this.failureRate = failureRate;
    this.random = new SplittableRandom(seed);
    this.handlers = Executors.newFixedThreadPool(2, DaemonThreads.named("pricing-http"));
    this.delays = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("pricing-delay"));
  }

  /**
   * Starts a server on an ephemeral loopback port.
   *
   * @param catalog the prices it serves
   * @param meanLatency mean delay of an answer; each is uniformly between half and 1.5 times it
   * @param failureRate fraction of calls answered with 503, 0..1
   * @param seed seeds the latencies and failures
   * @return the running server
   * @throws IOException if no port could be bound
   */
  static PricingServer start(Catalog catalog, Duration meanLatency, double failureRate, long seed)
      throws IOException {
    // The JDK server writes headers and body in separate segments; without TCP_NODELAY, Nagle's
    // algorithm and the client's delayed ACK add ~40 ms to many answers, and the fallback would
    // win races it should lose. The property is read once, when the first server is created.
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    PricingServer pricing = new PricingServer(http, catalog, meanLatency, failureRate, seed);
    http.setExecutor(pricing.handlers);
    http.createContext("/prices", pricing::handle);
    http.start();
    return pricing;
  }

  /**
   * Returns where the prices are served.
   *
   * @return the URI of {@code /prices}
   */
  URI pricesUri() {
    InetSocketAddress address = server.getAddress();
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/prices");
  }

  private void handle(HttpExchange exchange) {
    long delayNanos;
    boolean fail;
    synchronized (random) {
      delayNanos = meanLatencyNanos / 2 + (long) (random.nextDouble() * meanLatencyNanos);
      fail = random.nextDouble() < failureRate;
    }
    int status;
    byte[] body;
    if (fail) {
      status = 503;
      body = "pricing is unavailable\n".getBytes(StandardCharsets.UTF_8);
    } else {
      body = answer(exchange.getRequestURI().getRawQuery());
      status = body == null ? 400 : 200;
      if (body == null) {
        body = "expected ?ids=1,2,3 with ids of the catalog\n".getBytes(StandardCharsets.UTF_8);
      }
    }
    // Answer later from the timer: the handler thread is free at once, as in an async server.
    int finalStatus = status;
    byte[] finalBody = body;
    delays.schedule(
        () -> respond(exchange, finalStatus, finalBody), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** The answer body for a query, or null if the query is not {@code ids=…} of known products. */
  private byte[] answer(String query) {
    if (query == null || !query.startsWith("ids=") || query.length() == 4) {
      return null;
    }
    StringBuilder lines = new StringBuilder();
    for (String token : query.substring(4).split(",")) {
      long id;
      try {
        id = Long.parseLong(token);
      } catch (NumberFormatException e) {
        return null;
      }
      if (!catalog.contains(id)) {
        return null;
      }
      lines.append(id).append(' ').append(catalog.listPriceCents(id)).append('\n');
    }
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) {
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      // The client went away (its race was already decided and it cancelled the call): nobody is
      // left to tell.
    } finally {
      exchange.close();
    }
  }

  /** Stops accepting calls, drops those still waiting for their delay, and stops the threads. */
  @Override
  public void close() {
    server.stop(0);
    delays.shutdownNow();
    handlers.shutdownNow();
  }
}
