package dev.converge.examples;

import picocli.CommandLine.Option;

/**
 * Where the enriched orders go, and where records that are not orders go: the flags of section 5.4
 * and 5.5 of the design. The database is the default sink; {@code --sink kafka} writes each
 * enriched order to {@code --output-topic} exactly once, and needs {@code --source kafka}.
 */
final class SinkOptions {

  /** Where the enriched orders are written. */
  enum Sink {
    /** The table {@code enriched_orders} of the database, one idempotent insert per batch. */
    JDBC,
    /** A Kafka topic, through {@code KafkaBatchSink}: one transaction per batch. */
    KAFKA
  }

  @Option(
      names = "--sink",
      paramLabel = "SINK",
      defaultValue = "jdbc",
      description =
          "where enriched orders go: jdbc (the database) or kafka (--output-topic,"
              + " exactly once; needs --source kafka) (default: ${DEFAULT-VALUE})")
  private Sink sink;

  @Option(
      names = "--output-topic",
      paramLabel = "TOPIC",
      description = "kafka sink: the topic the enriched orders are written to")
  private String outputTopic;

  @Option(
      names = "--transactional-id",
      paramLabel = "ID",
      description =
          "kafka sink: this member's producer transactional.id (default: the group and"
              + " a random member suffix, printed at start)")
  private String transactionalId;

  @Option(
      names = "--dead-letter-topic",
      paramLabel = "TOPIC",
      description =
          "kafka: records that are not orders, and (with --sink kafka) orders rejected"
              + " after reading, go to this topic and the run goes on (default: none; such a record"
              + " stops the run)")
  private String deadLetterTopic;

  /**
   * Checks these flags against each other and against the source.
   *
   * @param checks the checks of the command line just read
   * @param source where the orders come from
   */
  void check(FlagChecks checks, ServiceOptions.Source source) {
    boolean kafkaSource = source == ServiceOptions.Source.KAFKA;
    if (sink == Sink.KAFKA) {
      checks.require(kafkaSource, "--sink", "kafka needs --source kafka");
      checks.require(outputTopic != null, "--sink", "kafka needs --output-topic");
    } else {
      checks.require(outputTopic == null, "--output-topic", "needs --sink kafka");
      checks.require(transactionalId == null, "--transactional-id", "needs --sink kafka");
    }
    if (outputTopic != null) {
      checks.notBlank("--output-topic", outputTopic);
    }
    if (transactionalId != null) {
      checks.notBlank("--transactional-id", transactionalId);
    }
    if (deadLetterTopic != null) {
      checks.require(kafkaSource, "--dead-letter-topic", "needs --source kafka");
      checks.notBlank("--dead-letter-topic", deadLetterTopic);
    }
  }

  // One accessor per flag, named after its field; absent flags are null.

  Sink sink() {
    return sink;
  }

  String outputTopic() {
    return outputTopic;
  }

  String transactionalId() {
    return transactionalId;
  }

  String deadLetterTopic() {
    return deadLetterTopic;
  }
}
