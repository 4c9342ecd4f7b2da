package dev.converge.examples;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes the seeded, bursty order stream into a Kafka topic, in real time, so that the service's
 * Kafka mode runs end to end against any broker: the same {@link OrderStream} as the in-process
 * generator, one record per order (key: the id in decimal; value: {@link OrderJson}; timestamp: the
 * time the order was due, from which the service measures latency).
 *
 * <p>Creates the topic first if it does not exist, with {@code --partitions} partitions (so that
 * several members of a group have partitions to share). Prints one line when done; exit codes as
 * {@link OrderService}'s.
 */
public final class OrderTopicWriter {

  private OrderTopicWriter() {}

  /** What to write where: the flags. */
  @Command(
      name = "OrderTopicWriter",
      mixinStandardHelpOptions = true,
      versionProvider = ExamplesVersion.class,
      description =
          "Writes the seeded, bursty order stream into a Kafka topic in real time,"
              + " creating the topic if it does not exist.")
  static final class Options implements FlagChecks.Checked {

    @Mixin private KafkaTopicOptions kafka;

    @Option(
        names = "--partitions",
        paramLabel = "N",
        defaultValue = "4",
        description = "partitions of the topic, if it is created (default: ${DEFAULT-VALUE})")
    private int partitions;

    @Mixin private OrderStreamOptions stream;

    @Override
    public void check(FlagChecks checks) {
      kafka.check(checks);
      checks.between("--partitions", partitions, 1, 10_000);
      stream.check(checks);
    }

    String bootstrapServers() {
      return kafka.bootstrapServers();
    }

    String topic() {
      return kafka.topic();
    }

    int partitions() {
      return partitions;
    }

    OrderStreamOptions stream() {
      return stream;
    }
  }

  /**
   * Writes the stream and exits the JVM with a non-zero code if it failed.
   *
   * @param args the flags; see {@code --help}
   */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != OrderService.OK) {
      System.exit(code);
    }
  }

  /**
   * Writes the stream in the calling thread, and returns the exit code.
   *
   * @param args the flags; see {@code --help}
   * @param out where the summary goes
   * @param err where the one-line error goes
   * @return {@link OrderService#OK}, {@link OrderService#FAILED} or {@link OrderService#USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      Optional<Options> parsed = OptionsParser.parse(new Options(), out, args);
      if (parsed.isEmpty()) {
        return OrderService.OK; // --help or --version, printed
      }
      options = parsed.get();
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return OrderService.USAGE;
    }
    try {
      long written = write(options);
      out.printf(
          Locale.ROOT,
          "wrote %,d orders to topic %s at %s%n",
          written,
          options.topic(),
          options.bootstrapServers());
      return OrderService.OK;
    } catch (ServiceFailure e) {
      err.println("error: " + e.getMessage());
      return OrderService.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted before every order was written");
      return OrderService.FAILED;
    }
  }

  private static long write(Options options) throws ServiceFailure, InterruptedException {
    Map<String, Object> common =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            options.bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000);
    createTopic(options, common);
    Map<String, Object> config = new HashMap<>(common);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    // One request at a time: a partition of a topic just created can refuse the first batch
    // (NOT_LEADER_OR_FOLLOWER, the broker has not opened it yet) and accept the next; the
    // idempotent
    // producer then resends the first, out of sequence, until the delivery timeout (seen with Kafka
    // 4.3.1 on one fresh KRaft node). With one in flight there is no next batch to overtake it.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    OrderStream stream = options.stream().newStream();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long written = 0;
    long durationNanos = options.stream().duration().toNanos();
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    try (KafkaProducer<String, OrderMessage> producer =
        new KafkaProducer<>(config, new StringSerializer(), new OrderJson.Writer())) {
      while (stream.nextOffsetNanos() < durationNanos && failure.get() == null) {
        if (!Pacing.parkUntil(startNanos + stream.nextOffsetNanos())) {
          throw new InterruptedException();
        }
        long dueMillis = startMillis + stream.nextOffsetNanos() / 1_000_000;
        for (Order order : stream.nextBurst(startNanos)) {
          OrderMessage message = OrderMessage.of(order);
          producer.send(
              new ProducerRecord<>(options.topic(), null, dueMillis, message.key(), message),
              (metadata, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                }
              });
          written++;
        }
      }
      producer.flush();
    } catch (KafkaException e) {
      throw new ServiceFailure(
          "cannot write to topic " + options.topic() + " at " + options.bootstrapServers(), e);
    }
    if (failure.get() != null) {
      throw new ServiceFailure(
          "cannot write to topic " + options.topic() + " at " + options.bootstrapServers(),
          failure.get());
    }
    return written;
  }

  private static void createTopic(Options options, Map<String, Object> config)
      throws ServiceFailure, InterruptedException {
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(
                      options.topic(), Optional.of(options.partitions()), Optional.empty())))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ServiceFailure(
            "cannot create topic " + options.topic() + " at " + options.bootstrapServers(),
            e.getCause());
      }
    } catch (KafkaException e) {
      throw new ServiceFailure("cannot reach Kafka at " + options.bootstrapServers(), e);
    }
  }
}
