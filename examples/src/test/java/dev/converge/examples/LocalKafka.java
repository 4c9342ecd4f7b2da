package dev.converge.examples;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * For trying the Kafka mode on a machine with no broker: runs the tests' in-process Kafka node
 * (one combined KRaft node, Kafka's own test kit) until the JVM is stopped, and prints where
 * clients connect. Its data lives in a temporary directory and is gone when it stops. See
 * examples/README.md for the command.
 */
public final class LocalKafka {

  private LocalKafka() {}

  /**
   * Starts the broker and waits for Ctrl-C.
   *
   * @param args none
   * @throws Exception if the broker cannot start
   */
  public static void main(String[] args) throws Exception {
    // As a production broker treats unknown topics, and a member killed in a try-out is noticed in
    // seconds under the consumer protocol. A directory of its own, deleted by close() once the
    // broker has stopped writing to it (see KafkaBroker.Builder.dataDirectory).
    KafkaBroker broker =
        KafkaBroker.builder()
            .sessionTimeout(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofMillis(250))
            .autoCreateTopics(true)
            .dataDirectory(Files.createTempDirectory("local-kafka-"))
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    broker.close();
                  } catch (Exception e) {
                    System.err.println("error: closing the broker: " + e.getMessage());
                  }
                  stopped.countDown();
                },
                "local-kafka-shutdown"));
    System.out.println("Kafka broker at " + broker.bootstrapServers() + " (Ctrl-C stops it)");
    stopped.await();
  }
}
