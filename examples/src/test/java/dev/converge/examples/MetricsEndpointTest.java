package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint of --metrics-port, scraped over loopback. */
class MetricsEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheJvmMetersAndTheRunsOwnAsPrometheusText() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
      endpoint.registry().counter("converge.test.things", "name", "orders").increment(3);

      HttpResponse<String> scrape = get(endpoint.uri());

      assertEquals(200, scrape.statusCode());
      assertEquals(
          MetricsEndpoint.CONTENT_TYPE, scrape.headers().firstValue("Content-Type").orElseThrow());
      String body = scrape.body();
      assertTrue(body.contains("converge_test_things_total{name=\"orders\"} 3.0"), body);
      for (String jvm :
          new String[] {
            "jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ",
            "jvm_classes_loaded_classes ", "system_cpu_count ", "process_uptime_seconds "
          }) {
        assertTrue(body.contains(jvm), "missing " + jvm + " in\n" + body);
      }
    }
  }

  @Test
  void listensOnTheLoopbackAddressOnly() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
      assertEquals(InetAddress.getLoopbackAddress().getHostAddress(), endpoint.uri().getHost());
      assertEquals("/metrics", endpoint.uri().getPath());
    }
  }

  @Test
  void refusesAnythingButGet() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(endpoint.uri())
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(405, post.statusCode());
      assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
    }
  }

  @Test
  void aPortInUseFailsTheStart() throws Exception {
    try (MetricsEndpoint first = MetricsEndpoint.start(0)) {
      int port = first.uri().getPort();

      assertThrows(BindException.class, () -> MetricsEndpoint.start(port));
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
