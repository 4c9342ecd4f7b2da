package dev.converge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real consumer with no broker reachable at start: the source's startup check waits in
 * {@code partitionsFor}, and close() must end that wait at once instead of after the timeout (60 s
 * per topic with kafka-clients' default before the check had a timeout and a wakeup).
 */
class NoBrokerTest {

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void closeEndsTheStartupCheckAtOnceWhenNoBrokerAnswers(String protocol) throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + closedPort());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "no-broker");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    AtomicReference<Thread> sourceThread = new AtomicReference<>();
    KafkaBatchSource<String, String> source =
        KafkaBatchSource.builder(
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()))
            .topics("orders", "payments")
            .startupTimeout(Duration.ofMinutes(5))
            .closeTimeout(Duration.ofSeconds(2))
            .threadFactory(
                task -> {
                  Thread t = new Thread(task, "no-broker-source");
                  t.setDaemon(true);
                  sourceThread.set(t);
                  return t;
                })
            .build();
    CompletableFuture<List<ConsumerRecord<String, String>>> poll =
        source.poll(1).toCompletableFuture();
    Await.until(
        "the source's thread waits in partitionsFor",
        () ->
            sourceThread.get() != null
                && Arrays.stream(sourceThread.get().getStackTrace())
                    .anyMatch(frame -> frame.getMethodName().equals("partitionsFor")));

    long start = System.nanoTime();
    source.close();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // The close timeout (2 s) bounds consumer.close; the startup timeout (5 min) must not count.
    assertTrue(tookMs < 20_000, "close took " + tookMs + " ms");
    assertEquals(List.of(), poll.get(10, TimeUnit.SECONDS));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // nothing listens there once the socket is closed
    }
  }
}
