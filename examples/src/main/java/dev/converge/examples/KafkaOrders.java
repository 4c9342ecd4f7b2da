package dev.converge.examples;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;

final class KafkaOrders {
  KafkaOrders(ServiceOptions options, PrintStream out, CompletableFuture<Void> stop) {}

  ServiceMetrics.Snapshot consume(BatchEnricher enricher, ServiceMetrics metrics)
      throws ServiceFailure {
    throw new ServiceFailure("kafka", new UnsupportedOperationException("not yet"));
  }
}
