package dev.converge.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The service's metrics for Prometheus ({@code --metrics-port}): a Micrometer {@link
 * PrometheusMeterRegistry} holding the JVM's meters (memory, garbage collection, threads, class
 * loading, processor, uptime) and whatever the run adds to it (the batch iterator's and the Kafka
 * source's meters, and the Kafka consumer's own), served as Prometheus text at {@code
 * http://127.0.0.1:PORT/metrics} by the JDK's {@link HttpServer}, on the loopback address only, as
 * the pricing service is.
 *
 * <p>Thread-safe. Scrapes are answered on one daemon thread; {@link #close()} stops the server, its
 * thread and the garbage-collection listener.
 */
final class MetricsEndpoint implements AutoCloseable {

  /** The Prometheus text exposition format, version 0.0.4: what every Prometheus server reads. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final HttpServer server;
  private final ExecutorService handler;

  private MetricsEndpoint(PrometheusMeterRegistry registry, JvmGcMetrics gc, HttpServer server) {
    this.registry = registry;
    this.gc = gc;
    this.server = server;
    this.handler = Executors.newSingleThreadExecutor(DaemonThreads.named("metrics-http"));
  }

  /**
   * Binds the JVM's meters and starts serving them on {@code 127.0.0.1:port}.
   *
   * @param port the port; 0 picks a free one (see {@link #uri()})
   * @return the running endpoint
   * @throws IOException if the port cannot be bound
   */
  static MetricsEndpoint start(int port) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      gc.close();
      registry.close();
      throw e;
    }
    MetricsEndpoint endpoint = new MetricsEndpoint(registry, gc, http);
    http.setExecutor(endpoint.handler);
    http.createContext("/metrics", endpoint::handle);
    http.start();
    return endpoint;
  }

  /**
   * Returns the registry the run's meters go into.
   *
   * @return the Prometheus registry behind {@code /metrics}
   */
  MeterRegistry registry() {
    return registry;
  }

  /**
   * Returns where the metrics are served.
   *
   * @return the URI of {@code /metrics}
   */
  URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/metrics");
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      // The scraper went away mid-answer: it will scrape again, and nobody else is waiting.
    }
  }

  /** Stops serving, stops the garbage-collection listener and closes the registry. */
  @Override
  public void close() {
    server.stop(0);
    handler.shutdownNow();
    gc.close();
    registry.close();
  }
}
