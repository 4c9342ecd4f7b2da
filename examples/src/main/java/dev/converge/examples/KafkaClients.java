package dev.converge.examples;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/** The settings every Kafka client of the service shares: the brokers and how to reach them. */
final class KafkaClients {

  private KafkaClients() {}

  /**
   * The brokers, plus the {@code --kafka-property} settings that are about the connection
   * (security.*, sasl.*, ssl.*), which the producers need as much as the consumer. The consumer's
   * own settings (group.protocol, session timeouts) are left to the consumer.
   *
   * @param options the command line
   * @return a new mutable map
   */
  static Map<String, Object> shared(ServiceOptions options) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    options
        .kafkaProperties()
        .forEach(
            (name, value) -> {
              if (name.startsWith("security.")
                  || name.startsWith("sasl.")
                  || name.startsWith("ssl.")) {
                config.put(name, value);
              }
            });
    return config;
  }
}
