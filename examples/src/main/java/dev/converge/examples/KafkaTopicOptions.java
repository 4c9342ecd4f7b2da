package dev.converge.examples;

import picocli.CommandLine.Option;

/**
 * Where the orders' topic is: the flags the service's Kafka mode and {@link OrderTopicWriter}
 * share.
 */
final class KafkaTopicOptions implements FlagChecks.Checked {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      defaultValue = "localhost:9092",
      description =
          "kafka: the brokers to start from, HOST:PORT[,HOST:PORT...]"
              + " (default: ${DEFAULT-VALUE})")
  private String bootstrapServers;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      defaultValue = "orders",
      description = "kafka: the topic of the orders (default: ${DEFAULT-VALUE})")
  private String topic;

  @Override
  public void check(FlagChecks checks) {
    checks.notBlank("--bootstrap-servers", bootstrapServers);
    checks.notBlank("--topic", topic);
  }

  // One accessor per flag, named after its field.

  String bootstrapServers() {
    return bootstrapServers;
  }

  String topic() {
    return topic;
  }
}
