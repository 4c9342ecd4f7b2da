package dev.converge.examples;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Parses the service's command line with picocli: {@code --name value} or {@code --name=value},
 * every flag optional, a flag given twice takes its last value. Each mistake is reported as one
 * {@link UsageException} naming the flag.
 *
 * <p>picocli reads the words and prints the help with every default; the values are checked here,
 * so that each message says what the flag accepts.
 */
final class OptionsParser {

  /** The largest batch; databases without arrays get its customer ids as one {@code IN} list. */
  static final int MAX_BATCH_SIZE = 10_000;

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  private OptionsParser() {}

  /**
   * Parses a command line.
   *
   * @param args the arguments, as given to {@code main}
   * @return the options, defaults where a flag is absent
   * @throws UsageException naming the first flag that is unknown, lacks a value or has a bad one
   */
  static ServiceOptions parse(String... args) throws UsageException {
    CommandLine command = command();
    try {
      command.parseArgs(args);
    } catch (ParameterException e) {
      throw translate(e);
    }
    if (command.isUsageHelpRequested()) {
      return withHelp(ServiceOptions.defaults());
    }
    Values values = new Values(command.getCommandSpec());
    Duration duration = positiveDuration("--duration", values.get("--duration"));
    return new ServiceOptions(
        positiveInt("--rate", values.get("--rate")),
        positiveInt("--burst", values.get("--burst")),
        duration,
        anyLong("--seed", values.get("--seed")),
        intInRange("--max-size", values.get("--max-size"), 1, MAX_BATCH_SIZE),
        duration("--max-wait", values.get("--max-wait")),
        intInRange("--prefetch", values.get("--prefetch"), 0, 1_000),
        duration("--price-latency", values.get("--price-latency")),
        fraction("--price-failure-rate", values.get("--price-failure-rate")),
        duration("--price-deadline", values.get("--price-deadline")),
        positiveInt("--customers", values.get("--customers")),
        positiveInt("--products", values.get("--products")),
        values.get("--jdbc-url"),
        values.get("--jdbc-user"),
        values.get("--jdbc-password"),
        source(values.get("--source")),
        nonBlank("--bootstrap-servers", values.get("--bootstrap-servers")),
        nonBlank("--topic", values.get("--topic")),
        nonBlank("--group", values.get("--group")),
        properties("--kafka-property", command.getCommandSpec().findOption("--kafka-property")
            .getValue()),
        duration("--give-up-after", values.get("--give-up-after")),
        false);
  }

  /**
   * Returns the help text: one line per flag with its default.
   *
   * @return the text printed for {@code --help}
   */
  static String usage() {
    return command().getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** The flags, their value labels, defaults and help; kept in step with ServiceOptions.defaults. */
  private static CommandLine command() {
    CommandSpec spec = CommandSpec.create().name("OrderService");
    spec.usageMessage()
        .description("Runs the order-enrichment pipeline, then prints a report.",
            "Orders come from an in-process generator for --duration (the default), or from a"
                + " Kafka topic (--source kafka), consumed for --duration.")
        .width(100)
        .sortOptions(false);
    flag(spec, "--source", "SOURCE", "generator",
        "where orders come from: generator (in-process) or kafka");
    flag(spec, "--rate", "N", "20000", "generator: mean orders per second");
    flag(spec, "--burst", "N", "200", "generator: mean orders per burst");
    flag(spec, "--duration", "TIME",
        "10s", "how long orders are produced (generator) or consumed (kafka), e.g. 10s, 500ms, 2m");
    flag(spec, "--seed", "N", "42", "seed of the order stream and the pricing service");
    flag(spec, "--max-size", "N", "500", "largest batch, at most " + MAX_BATCH_SIZE);
    flag(spec, "--max-wait", "TIME", "20ms",
        "longest an order waits for its batch to fill (0 = smart batching)");
    flag(spec, "--prefetch", "N", "2", "batches prepared ahead of the one being processed");
    flag(spec, "--price-latency", "TIME", "5ms", "mean latency of the pricing service");
    flag(spec, "--price-failure-rate", "P", "0", "fraction of pricing calls that fail, 0..1");
    flag(spec, "--price-deadline", "TIME", "50ms",
        "wait for the pricing service before the cache wins");
    flag(spec, "--customers", "N", "10000", "customers in the database");
    flag(spec, "--products", "N", "500", "products in the catalog");
    flag(spec, "--jdbc-url", "URL", ServiceOptions.DEFAULT_JDBC_URL,
        "database: any JDBC URL, H2 and PostgreSQL drivers included");
    flag(spec, "--jdbc-user", "USER", "sa", "database user");
    flag(spec, "--jdbc-password", "PASSWORD", "", "database password");
    flag(spec, "--bootstrap-servers", "HOST:PORT", "localhost:9092", "kafka: the brokers");
    flag(spec, "--topic", "TOPIC", "orders", "kafka: the topic orders are read from");
    flag(spec, "--group", "GROUP", "converge-orders",
        "kafka: the consumer group; its members share the topic's partitions");
    flag(spec, "--give-up-after", "TIME", "5m",
        "how long an outage of the database is waited out before the run ends (0 = none)");
    spec.addOption(OptionSpec.builder("--kafka-property")
        .paramLabel("NAME=VALUE")
        .type(List.class)
        .auxiliaryTypes(String.class)
        .description("kafka: a consumer setting, e.g. session.timeout.ms=10000; repeatable")
        .build());
    return commandLine(spec);
  }

  /**
   * Adds {@code -h}/{@code --help} to {@code spec} and makes its command line, on which a flag given
   * twice takes its last value.
   */
  static CommandLine commandLine(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help")
        .usageHelp(true)
        .description("print this text and exit")
        .build());
    CommandLine command = new CommandLine(spec);
    command.setOverwrittenOptionsAllowed(true);
    return command;
  }

  /** Adds a flag taking one value, with its default shown in the help. */
  static void flag(CommandSpec spec, String name, String label, String defaultValue,
      String help) {
    spec.addOption(OptionSpec.builder(name)
        .paramLabel(label)
        .type(String.class)
        .defaultValue(defaultValue)
        .description(help + " (default: " + (defaultValue.isEmpty() ? "empty" : defaultValue) + ")")
        .build());
  }

  /**
   * The value of every flag after parsing: given, or its default.
   *
   * @param spec the parsed command
   */
  record Values(CommandSpec spec) {
    /** Returns a flag's value; an empty default is the empty string. */
    String get(String name) {
      String value = spec.findOption(name).getValue();
      return value == null ? "" : value;
    }
  }

  private static ServiceOptions withHelp(ServiceOptions o) {
    return new ServiceOptions(o.rate(), o.burst(), o.duration(), o.seed(), o.maxSize(), o.maxWait(),
        o.prefetch(), o.priceLatency(), o.priceFailureRate(), o.priceDeadline(), o.customers(),
        o.products(), o.jdbcUrl(), o.jdbcUser(), o.jdbcPassword(), o.source(),
        o.bootstrapServers(), o.topic(), o.group(), o.kafkaProperties(), o.giveUpAfter(), true);
  }

  /** One line per mistake, in the words the service used before picocli read its flags. */
  static UsageException translate(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      return new UsageException(first.startsWith("-")
          ? "unknown flag '" + name + "'; run with --help to list the flags"
          : "unexpected argument '" + first + "'; flags come as --name value");
    }
    if (e instanceof CommandLine.MissingParameterException missing
        && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return new UsageException(
          option.longestName() + " needs a value (" + option.paramLabel() + ")");
    }
    return new UsageException(e.getMessage());
  }

  private static Map<String, String> properties(String flag, List<String> values)
      throws UsageException {
    Map<String, String> properties = new LinkedHashMap<>();
    if (values != null) {
      for (String value : values) {
        int equals = value.indexOf('=');
        if (equals <= 0) {
          throw new UsageException(flag + " must be NAME=VALUE, was '" + value + "'");
        }
        properties.put(value.substring(0, equals), value.substring(equals + 1));
      }
    }
    return Map.copyOf(properties);
  }

  private static ServiceOptions.Source source(String value) throws UsageException {
    for (ServiceOptions.Source source : ServiceOptions.Source.values()) {
      if (source.name().toLowerCase(Locale.ROOT).equals(value)) {
        return source;
      }
    }
    throw new UsageException(
        "--source must be " + String.join(" or ", List.of("generator", "kafka")) + ", was '"
            + value + "'");
  }

  static String nonBlank(String flag, String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException(flag + " must not be empty");
    }
    return value;
  }

  static int positiveInt(String flag, String value) throws UsageException {
    return intInRange(flag, value, 1, Integer.MAX_VALUE);
  }

  static int intInRange(String flag, String value, int min, int max)
      throws UsageException {
    long parsed = anyLong(flag, value);
    if (parsed < min || parsed > max) {
      throw new UsageException(flag + " must be between " + min + " and " + max + ", was " + value);
    }
    return (int) parsed;
  }

  static long anyLong(String flag, String value) throws UsageException {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a whole number, was '" + value + "'");
    }
  }

  private static double fraction(String flag, String value) throws UsageException {
    double parsed;
    try {
      parsed = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a number between 0 and 1, was '" + value + "'");
    }
    if (!(parsed >= 0.0 && parsed <= 1.0)) {
      throw new UsageException(flag + " must be a number between 0 and 1, was " + value);
    }
    return parsed;
  }

  static Duration positiveDuration(String flag, String value) throws UsageException {
    Duration parsed = duration(flag, value);
    if (parsed.isZero()) {
      throw new UsageException(flag + " must be longer than 0, was " + value);
    }
    return parsed;
  }

  static Duration duration(String flag, String value) throws UsageException {
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      throw new UsageException(
          flag + " must be a duration such as 250ms, 10s or 2m, was '" + value + "'");
    }
    double amount = Double.parseDouble(matcher.group(1));
    double millisPerUnit = switch (matcher.group(2)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      default -> 60_000;
    };
    double millis = amount * millisPerUnit;
    if (millis > Duration.ofDays(1).toMillis()) {
      throw new UsageException(flag + " must be at most a day, was " + value);
    }
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }
}
