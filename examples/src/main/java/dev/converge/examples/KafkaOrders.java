package dev.converge.examples;

import java.io.PrintStream;

/** Placeholder removed once the kafka module lands. */
final class KafkaOrders {
  KafkaOrders(ServiceOptions options, PrintStream out) {}

  ServiceMetrics.Snapshot consume(BatchEnricher enricher, ServiceMetrics metrics)
      throws ServiceFailure {
    throw new ServiceFailure("kafka", new UnsupportedOperationException("not yet"));
  }
}
