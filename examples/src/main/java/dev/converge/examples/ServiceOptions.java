package dev.converge.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Everything the order service can be told on its command line. Each flag is one typed field below:
 * its name, its default (the only place the default is written; {@code --help} shows it), its help,
 * and an accessor named after the field. {@link OptionsParser} fills them in; {@link #check} holds
 * the ranges the types do not say.
 */
@Command(
    name = "OrderService",
    mixinStandardHelpOptions = true,
    versionProvider = ExamplesVersion.class,
    description = {
      "Runs the order-enrichment pipeline, then prints a report.",
      "Orders come from an in-process generator for --duration (the default), or from a Kafka"
          + " topic (--source kafka), consumed for --duration."
    })
final class ServiceOptions implements FlagChecks.Checked {

  /** The largest batch; databases without arrays get its customer ids as one {@code IN} list. */
  static final int MAX_BATCH_SIZE = 10_000;

  /** Where the orders come from. */
  enum Source {
    /** The in-process bursty, seeded producer: needs nothing installed. */
    GENERATOR,
    /** A Kafka topic, read through {@code KafkaBatchSource} as a member of a consumer group. */
    KAFKA
  }

  @Option(
      names = "--source",
      paramLabel = "SOURCE",
      defaultValue = "generator",
      description =
          "where orders come from: generator (in-process) or kafka"
              + " (default: ${DEFAULT-VALUE})")
  private Source source;

  @Mixin private OrderStreamOptions stream;

  @Option(
      names = "--max-size",
      paramLabel = "N",
      defaultValue = "500",
      description = "largest batch, at most " + MAX_BATCH_SIZE + " (default: ${DEFAULT-VALUE})")
  private int maxSize;

  @Option(
      names = "--max-wait",
      paramLabel = "TIME",
      defaultValue = "20ms",
      description =
          "longest an order waits for its batch to fill; 0 is smart batching"
              + " (default: ${DEFAULT-VALUE})")
  private Duration maxWait;

  @Option(
      names = "--prefetch",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "batches prepared ahead of the one being processed, 0..1000"
              + " (default: ${DEFAULT-VALUE})")
  private int prefetch;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "batches being enriched and written at once, 1..64; the database pool and"
              + " JDBC threads are sized to it (default: ${DEFAULT-VALUE})")
  private int concurrency;

  @Option(
      names = "--price-latency",
      paramLabel = "TIME",
      defaultValue = "5ms",
      description = "mean latency of the pricing service (default: ${DEFAULT-VALUE})")
  private Duration priceLatency;

  @Option(
      names = "--price-failure-rate",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "fraction of pricing calls that fail with HTTP 503, 0..1"
              + " (default: ${DEFAULT-VALUE})")
  private double priceFailureRate;

  @Option(
      names = "--price-deadline",
      paramLabel = "TIME",
      defaultValue = "50ms",
      description =
          "how long a batch waits for the pricing service before the cached prices win"
              + " (default: ${DEFAULT-VALUE})")
  private Duration priceDeadline;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      defaultValue = "jdbc:h2:mem:converge-orders",
      description =
          "database: any JDBC URL, H2 and PostgreSQL drivers included"
              + " (default: ${DEFAULT-VALUE})")
  private String jdbcUrl;

  @Option(
      names = "--jdbc-user",
      paramLabel = "USER",
      defaultValue = "sa",
      description = "database user (default: ${DEFAULT-VALUE})")
  private String jdbcUser;

  @Option(
      names = "--jdbc-password",
      paramLabel = "PASSWORD",
      description =
          "database password; other users of the machine can see it, so a warning is printed:"
              + " prefer --jdbc-password-file or the environment variable "
              + JdbcPassword.ENVIRONMENT_VARIABLE
              + " (default: empty)")
  private String jdbcPasswordFlag;

  @Option(
      names = "--jdbc-password-file",
      paramLabel = "PATH",
      description =
          "database password: the file's content, less one trailing line end;"
              + " without either flag, the environment variable "
              + JdbcPassword.ENVIRONMENT_VARIABLE
              + " is read")
  private Path jdbcPasswordFile;

  /** The password from whichever source {@link #readPassword} found; null until then. */
  private String jdbcPassword;

  @Mixin private KafkaTopicOptions kafka;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      defaultValue = "converge-orders",
      description =
          "kafka: the consumer group; its members share the topic's partitions"
              + " (default: ${DEFAULT-VALUE})")
  private String group;

  @Option(
      names = "--kafka-property",
      paramLabel = "NAME=VALUE",
      description =
          "kafka: a consumer setting (security, timeouts), applied last, e.g."
              + " session.timeout.ms=10000; repeatable. The start line and errors show secrets"
              + " (sasl.jaas.config, *password*, *secret*...) as "
              + SecretKeys.MASK)
  private Map<String, String> kafkaProperties = Map.of();

  @Option(
      names = "--give-up-after",
      paramLabel = "TIME",
      defaultValue = "5m",
      description =
          "how long an outage of the database is waited out before the run ends;"
              + " 0 waits out none (default: ${DEFAULT-VALUE})")
  private Duration giveUpAfter;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "serve Prometheus metrics (batches, Kafka, JVM) at"
              + " http://127.0.0.1:PORT/metrics, 0..65535 (0: any free port, printed at start);"
              + " off by default")
  private Integer metricsPort;

  @Mixin private SinkOptions sink;

  @Override
  public void check(FlagChecks checks) {
    stream.check(checks);
    checks.between("--max-size", maxSize, 1, MAX_BATCH_SIZE);
    checks.between("--prefetch", prefetch, 0, 1_000);
    checks.between("--concurrency", concurrency, 1, 64);
    checks.fraction("--price-failure-rate", priceFailureRate);
    kafka.check(checks);
    checks.require(
        jdbcPasswordFlag == null || jdbcPasswordFile == null,
        "--jdbc-password",
        "and --jdbc-password-file both give the database password; give one");
    checks.notBlank("--group", group);
    checks.namedValues("--kafka-property", kafkaProperties);
    if (metricsPort != null) {
      checks.between("--metrics-port", metricsPort, 0, 65_535);
    }
    sink.check(checks, source);
  }

  // One accessor per flag, named after its field.

  Source source() {
    return source;
  }

  int rate() {
    return stream.rate();
  }

  int burst() {
    return stream.burst();
  }

  Duration duration() {
    return stream.duration();
  }

  long seed() {
    return stream.seed();
  }

  int customers() {
    return stream.customers();
  }

  int products() {
    return stream.products();
  }

  int maxSize() {
    return maxSize;
  }

  Duration maxWait() {
    return maxWait;
  }

  int prefetch() {
    return prefetch;
  }

  int concurrency() {
    return concurrency;
  }

  Duration priceLatency() {
    return priceLatency;
  }

  double priceFailureRate() {
    return priceFailureRate;
  }

  Duration priceDeadline() {
    return priceDeadline;
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  String jdbcUser() {
    return jdbcUser;
  }

  /**
   * Finds the database password (see {@link JdbcPassword}): the flag, the file, or the environment.
   * Called once, after the flags have been read and checked.
   *
   * @param environment the process's environment variables by name (null for an unset one)
   * @param warnings where the warning about {@code --jdbc-password} goes
   * @return these options
   * @throws UsageException if {@code --jdbc-password-file} cannot be read
   */
  ServiceOptions readPassword(Function<String, String> environment, PrintStream warnings)
      throws UsageException {
    jdbcPassword = JdbcPassword.resolve(jdbcPasswordFlag, jdbcPasswordFile, environment, warnings);
    return this;
  }

  /** The password {@link #readPassword} found. */
  String jdbcPassword() {
    if (jdbcPassword == null) {
      throw new IllegalStateException("readPassword has not been called");
    }
    return jdbcPassword;
  }

  /** The JDBC URL as it may be printed: its password parameters masked. */
  String jdbcUrlShown() {
    return SecretKeys.maskJdbcUrl(jdbcUrl);
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  String topic() {
    return kafka.topic();
  }

  String group() {
    return group;
  }

  Map<String, String> kafkaProperties() {
    return Map.copyOf(kafkaProperties);
  }

  Duration giveUpAfter() {
    return giveUpAfter;
  }

  /** The port of {@code /metrics}; empty when the flag is absent and nothing is served. */
  OptionalInt metricsPort() {
    return metricsPort == null ? OptionalInt.empty() : OptionalInt.of(metricsPort);
  }

  SinkOptions.Sink sink() {
    return sink.sink();
  }

  /** The output topic of {@code --sink kafka}; null without one. */
  String outputTopic() {
    return sink.outputTopic();
  }

  /** The producer's {@code transactional.id} given; null for the default. */
  String transactionalId() {
    return sink.transactionalId();
  }

  /** The dead-letter topic; null without one. */
  String deadLetterTopic() {
    return sink.deadLetterTopic();
  }
}
