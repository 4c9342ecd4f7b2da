package dev.converge.examples;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the service's command line: {@code --name value} or {@code --name=value}, every flag
 * optional. Each mistake is reported as one {@link UsageException} naming the flag.
 */
final class OptionsParser {

  /** The largest batch: its customer ids go into one {@code IN (…)} list, which databases bound. */
  static final int MAX_BATCH_SIZE = 10_000;

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  /** One flag: its name, what its value looks like, what it does, and how it is applied. */
  private record Flag(String name, String value, String help, Setter setter) {}

  /** Applies a flag's value to the options being built. */
  @FunctionalInterface
  private interface Setter {
    void set(Draft draft, String flag, String value) throws UsageException;
  }

  private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();

  static {
    flag("--rate", "N", "mean orders per second", (d, f, v) -> d.rate = positiveInt(f, v));
    flag("--burst", "N", "mean orders per burst", (d, f, v) -> d.burst = positiveInt(f, v));
    flag("--duration", "TIME", "how long orders are produced, e.g. 10s, 500ms, 2m",
        (d, f, v) -> d.duration = positiveDuration(f, v));
    flag("--seed", "N", "seed of the order stream and the pricing service",
        (d, f, v) -> d.seed = anyLong(f, v));
    flag("--max-size", "N", "largest batch, at most " + MAX_BATCH_SIZE,
        (d, f, v) -> d.maxSize = intInRange(f, v, 1, MAX_BATCH_SIZE));
    flag("--max-wait", "TIME", "longest an order waits for its batch to fill (0 = smart batching)",
        (d, f, v) -> d.maxWait = duration(f, v));
    flag("--prefetch", "N", "batches prepared ahead of the one being processed",
        (d, f, v) -> d.prefetch = intInRange(f, v, 0, 1_000));
    flag("--price-latency", "TIME", "mean latency of the pricing service",
        (d, f, v) -> d.priceLatency = duration(f, v));
    flag("--price-failure-rate", "P", "fraction of pricing calls that fail, 0..1",
        (d, f, v) -> d.priceFailureRate = fraction(f, v));
    flag("--price-deadline", "TIME", "wait for the pricing service before the cache wins",
        (d, f, v) -> d.priceDeadline = duration(f, v));
    flag("--customers", "N", "customers in the database", (d, f, v) -> d.customers = positiveInt(f, v));
    flag("--products", "N", "products in the catalog", (d, f, v) -> d.products = positiveInt(f, v));
    flag("--jdbc-url", "URL", "database (default: in-memory H2)", (d, f, v) -> d.jdbcUrl = v);
    flag("--jdbc-user", "USER", "database user", (d, f, v) -> d.jdbcUser = v);
    flag("--jdbc-password", "PASSWORD", "database password", (d, f, v) -> d.jdbcPassword = v);
  }

  private OptionsParser() {}

  private static void flag(String name, String value, String help, Setter setter) {
    FLAGS.put(name, new Flag(name, value, help, setter));
  }

  /**
   * Parses a command line.
   *
   * @param args the arguments, as given to {@code main}
   * @return the options, defaults where a flag is absent
   * @throws UsageException naming the first flag that is unknown, lacks a value or has a bad one
   */
  static ServiceOptions parse(String... args) throws UsageException {
    Draft draft = new Draft(ServiceOptions.defaults());
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        draft.help = true;
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      Flag flag = FLAGS.get(name);
      if (flag == null) {
        throw new UsageException("unknown flag '" + name + "'; run with --help to list the flags");
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(name + " needs a value (" + flag.value() + ")");
      }
      flag.setter().set(draft, name, value);
    }
    return draft.build();
  }

  /**
   * Returns the help text: one line per flag with its default.
   *
   * @return the text printed for {@code --help}
   */
  static String usage() {
    StringBuilder text = new StringBuilder(
        "usage: OrderService [--flag value]...\n"
            + "Runs the order-enrichment pipeline for --duration, then prints a report.\n\n");
    for (Flag flag : FLAGS.values()) {
      text.append(String.format(Locale.ROOT, "  %-30s %s%n", flag.name() + " " + flag.value(),
          flag.help()));
    }
    text.append(String.format(Locale.ROOT, "  %-30s %s%n", "--help", "print this text and exit"));
    return text.toString();
  }

  private static int positiveInt(String flag, String value) throws UsageException {
    return intInRange(flag, value, 1, Integer.MAX_VALUE);
  }

  private static int intInRange(String flag, String value, int min, int max)
      throws UsageException {
    long parsed = anyLong(flag, value);
    if (parsed < min || parsed > max) {
      throw new UsageException(flag + " must be between " + min + " and " + max + ", was " + value);
    }
    return (int) parsed;
  }

  private static long anyLong(String flag, String value) throws UsageException {
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

  private static Duration positiveDuration(String flag, String value) throws UsageException {
    Duration parsed = duration(flag, value);
    if (parsed.isZero()) {
      throw new UsageException(flag + " must be longer than 0, was " + value);
    }
    return parsed;
  }

  private static Duration duration(String flag, String value) throws UsageException {
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

  /** The options being parsed, starting from the defaults. */
  private static final class Draft {
    int rate;
    int burst;
    Duration duration;
    long seed;
    int maxSize;
    Duration maxWait;
    int prefetch;
    Duration priceLatency;
    double priceFailureRate;
    Duration priceDeadline;
    int customers;
    int products;
    String jdbcUrl;
    String jdbcUser;
    String jdbcPassword;
    boolean help;

    Draft(ServiceOptions defaults) {
      rate = defaults.rate();
      burst = defaults.burst();
      duration = defaults.duration();
      seed = defaults.seed();
      maxSize = defaults.maxSize();
      maxWait = defaults.maxWait();
      prefetch = defaults.prefetch();
      priceLatency = defaults.priceLatency();
      priceFailureRate = defaults.priceFailureRate();
      priceDeadline = defaults.priceDeadline();
      customers = defaults.customers();
      products = defaults.products();
      jdbcUrl = defaults.jdbcUrl();
      jdbcUser = defaults.jdbcUser();
      jdbcPassword = defaults.jdbcPassword();
      help = defaults.help();
    }

    ServiceOptions build() {
      return new ServiceOptions(rate, burst, duration, seed, maxSize, maxWait, prefetch,
          priceLatency, priceFailureRate, priceDeadline, customers, products, jdbcUrl, jdbcUser,
          jdbcPassword, help);
    }
  }
}
