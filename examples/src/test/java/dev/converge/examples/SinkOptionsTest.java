package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The flags of {@link SinkOptions}, and the rules between them and {@code --source}. */
class SinkOptionsTest {

  private static final String[] KAFKA_SOURCE = {"--source", "kafka"};

  @Test
  void theDatabaseIsTheDefaultSinkWithNoTopics() throws UsageException {
    ServiceOptions options = OptionsParser.parse();

    assertEquals(SinkOptions.Sink.JDBC, options.sink());
    assertNull(options.outputTopic());
    assertNull(options.transactionalId());
    assertNull(options.deadLetterTopic());
  }

  @Test
  void kafkaSinkTakesItsTopicsAndTransactionalId() throws UsageException {
    ServiceOptions options =
        OptionsParser.parse(
            "--source",
            "kafka",
            "--sink",
            "kafka",
            "--output-topic",
            "enriched",
            "--transactional-id",
            "enricher-1",
            "--dead-letter-topic=orders.dlt");

    assertEquals(SinkOptions.Sink.KAFKA, options.sink());
    assertEquals("enriched", options.outputTopic());
    assertEquals("enricher-1", options.transactionalId());
    assertEquals("orders.dlt", options.deadLetterTopic());
  }

  @Test
  void deadLetterTopicAlsoWorksWithTheDatabaseSink() throws UsageException {
    ServiceOptions options = OptionsParser.parse("--source", "kafka", "--dead-letter-topic", "d");

    assertEquals(SinkOptions.Sink.JDBC, options.sink());
    assertEquals("d", options.deadLetterTopic());
  }

  @Test
  void kafkaSinkNeedsTheKafkaSource() {
    assertEquals(
        "--sink kafka needs --source kafka",
        error("--sink", "kafka", "--output-topic", "enriched"));
  }

  @Test
  void kafkaSinkNeedsAnOutputTopic() {
    assertEquals(
        "--sink kafka needs --output-topic", error("--source", "kafka", "--sink", "kafka"));
  }

  @Test
  void outputTopicAndTransactionalIdNeedTheKafkaSink() {
    assertEquals(
        "--output-topic needs --sink kafka",
        error("--source", "kafka", "--output-topic", "enriched"));
    assertEquals(
        "--transactional-id needs --sink kafka",
        error("--source", "kafka", "--transactional-id", "t"));
  }

  @Test
  void deadLetterTopicNeedsTheKafkaSource() {
    assertEquals("--dead-letter-topic needs --source kafka", error("--dead-letter-topic", "d"));
  }

  @Test
  void blankTopicsAndIdsAreRejected() {
    assertEquals(
        "--output-topic must not be empty",
        error("--source", "kafka", "--sink", "kafka", "--output-topic", " "));
    assertEquals(
        "--transactional-id must not be empty",
        error(
            "--source",
            "kafka",
            "--sink",
            "kafka",
            "--output-topic",
            "t",
            "--transactional-id",
            ""));
    assertEquals(
        "--dead-letter-topic must not be empty",
        error("--source", "kafka", "--dead-letter-topic", ""));
  }

  @Test
  void unknownSinkIsRejectedNamingTheChoices() {
    assertEquals(
        "--sink must be jdbc or kafka, was 'file'", error("--source", "kafka", "--sink", "file"));
  }

  @Test
  void kafkaSourceAloneIsStillValid() throws UsageException {
    assertEquals(ServiceOptions.Source.KAFKA, OptionsParser.parse(KAFKA_SOURCE).source());
  }

  private static String error(String... args) {
    return assertThrows(UsageException.class, () -> OptionsParser.parse(args)).getMessage();
  }
}
