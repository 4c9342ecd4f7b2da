package dev.converge.examples;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Reads a topic from its beginning to its end as a {@code read_committed} consumer, and prints its
 * records and a count: how the output topic of {@code --sink kafka} (or a dead-letter topic) is
 * checked. Records of transactions that were aborted, or are still open, are not seen: a {@code
 * read_committed} consumer stops at the first open transaction (the last stable offset) and skips
 * aborted ones.
 *
 * <p>Joins no group and commits nothing: it assigns itself every partition. Exit codes as {@link
 * OrderService}'s.
 */
public final class OrderTopicReader {

  private OrderTopicReader() {}

  /** What to read: the flags. */
  @Command(
      name = "OrderTopicReader",
      mixinStandardHelpOptions = true,
      versionProvider = ExamplesVersion.class,
      description =
          "Reads a topic from beginning to end with isolation.level=read_committed,"
              + " prints each record, then how many records and distinct keys it holds.")
  static final class Options implements FlagChecks.Checked {

    @Mixin private KafkaTopicOptions kafka;

    @Option(names = "--quiet", description = "print only the count, not each record")
    private boolean quiet;

    @Option(
        names = "--timeout",
        paramLabel = "TIME",
        defaultValue = "60s",
        description = "longest the reading may take (default: ${DEFAULT-VALUE})")
    private Duration timeout;

    @Override
    public void check(FlagChecks checks) {
      kafka.check(checks);
      checks.positive("--timeout", timeout);
    }
  }

  /**
   * Reads the topic and exits the JVM with a non-zero code if it failed.
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
   * Reads the topic in the calling thread, and returns the exit code.
   *
   * @param args the flags; see {@code --help}
   * @param out where the records and the count go
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
      Map<String, Long> keys = new HashMap<>();
      long[] records = {0};
      read(
          options.kafka.bootstrapServers(),
          options.kafka.topic(),
          options.timeout,
          record -> {
            records[0]++;
            keys.merge(record.key(), 1L, Long::sum);
            if (!options.quiet) {
              out.println(describe(record));
            }
          });
      long repeated = keys.values().stream().filter(count -> count > 1).count();
      out.printf(
          Locale.ROOT,
          "read %,d records, %,d distinct keys (%,d more than once) from"
              + " topic %s, read_committed%n",
          records[0],
          keys.size(),
          repeated,
          options.kafka.topic());
      return OrderService.OK;
    } catch (ServiceFailure e) {
      err.println("error: " + e.getMessage());
      return OrderService.FAILED;
    }
  }

  /**
   * Reads every committed record of a topic, from its beginning to its end as it is when reading
   * starts (its last stable offsets).
   *
   * @param bootstrapServers the brokers
   * @param topic the topic
   * @param timeout the longest it may take
   * @return the records, per partition in offset order
   * @throws ServiceFailure if the topic cannot be read within the timeout
   */
  static List<ConsumerRecord<String, String>> readAll(
      String bootstrapServers, String topic, Duration timeout) throws ServiceFailure {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    read(bootstrapServers, topic, timeout, records::add);
    return records;
  }

  private static void read(
      String bootstrapServers,
      String topic,
      Duration timeout,
      Consumer<ConsumerRecord<String, String>> each)
      throws ServiceFailure {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo partition : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, partition.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // Under read_committed these are the last stable offsets: nothing past them is readable yet.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      while (!reachedEnds(consumer, ends)) {
        if (System.nanoTime() - deadline > 0) {
          throw new ServiceFailure(
              "cannot read topic " + topic + " to its end",
              new IllegalStateException("not within " + timeout.toSeconds() + " s"));
        }
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    } catch (KafkaException e) {
      throw new ServiceFailure("cannot read topic " + topic + " at " + bootstrapServers, e);
    }
  }

  private static boolean reachedEnds(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** One line: where the record is, its key, value and headers. */
  private static String describe(ConsumerRecord<String, String> record) {
    StringBuilder line =
        new StringBuilder()
            .append(record.partition())
            .append('@')
            .append(record.offset())
            .append(' ')
            .append(record.key())
            .append(' ')
            .append(record.value());
    for (Header header : record.headers()) {
      line.append(' ')
          .append(header.key())
          .append('=')
          .append(
              header.value() == null ? "null" : new String(header.value(), StandardCharsets.UTF_8));
    }
    return line.toString();
  }
}
