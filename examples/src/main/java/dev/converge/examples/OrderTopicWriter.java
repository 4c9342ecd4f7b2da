package dev.converge.examples;

import java.io.PrintStream;
import java.time.Duration;
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
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

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

  /** What to write where. */
  private record Options(String bootstrapServers, String topic, int partitions, int rate, int burst,
      Duration duration, long seed, int customers, int products) {}

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
    CommandLine command = command();
    Options options;
    try {
      try {
        command.parseArgs(args);
      } catch (ParameterException e) {
        throw OptionsParser.translate(e);
      }
      if (command.isUsageHelpRequested()) {
        out.print(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
        return OrderService.OK;
      }
      options = options(new OptionsParser.Values(command.getCommandSpec()));
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return OrderService.USAGE;
    }
    try {
      long written = write(options);
      out.printf(Locale.ROOT, "wrote %,d orders to topic %s at %s%n", written, options.topic(),
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
    Map<String, Object> common = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    createTopic(options, common);
    Map<String, Object> config = new HashMap<>(common);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    // One request at a time: a partition of a topic just created can refuse the first batch
    // (NOT_LEADER_OR_FOLLOWER, the broker has not opened it yet) and accept the next; the idempotent
    // producer then resends the first, out of sequence, until the delivery timeout (seen with Kafka
    // 4.3.1 on one fresh KRaft node). With one in flight there is no next batch to overtake it.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    OrderStream stream = new OrderStream(options.rate(), options.burst(), options.customers(),
        options.products(), options.seed());
    AtomicReference<Exception> failure = new AtomicReference<>();
    long written = 0;
    long durationNanos = options.duration().toNanos();
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
          producer.send(new ProducerRecord<>(options.topic(), null, dueMillis, message.key(),
              message), (metadata, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                }
              });
          written++;
        }
      }
      producer.flush();
    } catch (KafkaException e) {
      throw new ServiceFailure("cannot write to topic " + options.topic() + " at "
          + options.bootstrapServers(), e);
    }
    if (failure.get() != null) {
      throw new ServiceFailure("cannot write to topic " + options.topic() + " at "
          + options.bootstrapServers(), failure.get());
    }
    return written;
  }

  private static void createTopic(Options options, Map<String, Object> config)
      throws ServiceFailure, InterruptedException {
    try (Admin admin = Admin.create(config)) {
      admin.createTopics(List.of(new NewTopic(options.topic(), Optional.of(options.partitions()),
          Optional.empty()))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ServiceFailure("cannot create topic " + options.topic() + " at "
            + options.bootstrapServers(), e.getCause());
      }
    } catch (KafkaException e) {
      throw new ServiceFailure("cannot reach Kafka at " + options.bootstrapServers(), e);
    }
  }

  private static Options options(OptionsParser.Values values) throws UsageException {
    return new Options(
        OptionsParser.nonBlank("--bootstrap-servers", values.get("--bootstrap-servers")),
        OptionsParser.nonBlank("--topic", values.get("--topic")),
        OptionsParser.intInRange("--partitions", values.get("--partitions"), 1, 10_000),
        OptionsParser.positiveInt("--rate", values.get("--rate")),
        OptionsParser.positiveInt("--burst", values.get("--burst")),
        OptionsParser.positiveDuration("--duration", values.get("--duration")),
        OptionsParser.anyLong("--seed", values.get("--seed")),
        OptionsParser.positiveInt("--customers", values.get("--customers")),
        OptionsParser.positiveInt("--products", values.get("--products")));
  }

  private static CommandLine command() {
    CommandSpec spec = CommandSpec.create().name("OrderTopicWriter");
    spec.usageMessage()
        .description("Writes the seeded, bursty order stream into a Kafka topic in real time,"
            + " creating the topic if it does not exist.")
        .width(100)
        .sortOptions(false);
    OptionsParser.flag(spec, "--bootstrap-servers", "HOST:PORT", "localhost:9092", "the brokers");
    OptionsParser.flag(spec, "--topic", "TOPIC", "orders", "the topic");
    OptionsParser.flag(spec, "--partitions", "N", "4", "partitions of the topic, if created");
    OptionsParser.flag(spec, "--rate", "N", "20000", "mean orders per second");
    OptionsParser.flag(spec, "--burst", "N", "200", "mean orders per burst");
    OptionsParser.flag(spec, "--duration", "TIME", "10s", "how long orders are written");
    OptionsParser.flag(spec, "--seed", "N", "42", "seed of the order stream");
    OptionsParser.flag(spec, "--customers", "N", "10000",
        "customer ids are 1..N (at most the service's --customers)");
    OptionsParser.flag(spec, "--products", "N", "500", "product ids are 1..N");
    return OptionsParser.commandLine(spec);
  }
}
