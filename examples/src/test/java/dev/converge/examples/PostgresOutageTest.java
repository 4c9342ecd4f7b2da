package dev.converge.examples;

import static dev.converge.examples.StoredOrders.assertExactlyOnce;
import static dev.converge.examples.StoredOrders.count;
import static dev.converge.examples.StoredOrders.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.fixtures.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service rides through PostgreSQL going away: stopped mid-run and started again on the same
 * data directory and port (as an operator restarts it), or not yet up when a member starts. No
 * member exits, no order is lost or stored twice, and the run resumes within seconds of the
 * database's return. Only an outage longer than {@code --give-up-after} ends a run, with exit code
 * 1 and one line naming the database.
 */
class PostgresOutageTest {

  private static final int PARTITIONS = 4;

  /** How soon after PostgreSQL is back the members must have stored again; "a few seconds". */
  private static final Duration RESUMES_WITHIN = Duration.ofSeconds(10);

  @TempDir static Path dataDirectory;

  private static KafkaBroker broker;
  private static Admin admin;
  private static RestartablePostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    broker =
        KafkaBroker.builder()
            .sessionTimeout(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofMillis(250))
            .start();
    admin = broker.admin();
    postgres = RestartablePostgres.start(dataDirectory);
  }

  @AfterAll
  @SuppressWarnings("try") // the resources are there only to close them after PostgreSQL
  static void stop() throws Exception {
    try (KafkaBroker closingBroker = broker) {
      postgres.close();
    }
  }

  /** A test that stopped PostgreSQL and failed before starting it again leaves it running. */
  @AfterEach
  void startPostgresAgain() throws Exception {
    if (!postgres.isRunning()) {
      postgres.restart();
    }
  }

  /**
   * Two members of a group consume a topic into PostgreSQL; PostgreSQL is stopped under them (fast
   * shutdown: their sessions end with 57P01, new connections are refused), kept down for longer
   * than the group's session timeout, and started again. Both report the outage's start and end,
   * keep their partitions (their sources poll on, paused), and finish the topic: every order stored
   * once, the group's offsets at the end of every partition.
   */
  @Test
  void membersRideThroughARestartOfPostgresAndStoreEveryOrderOnce() throws Exception {
    String topic = KafkaBroker.unique("orders");
    String group = KafkaBroker.unique("enrichers");
    String db = postgres.newDatabase();
    long total = writeOrders(topic);
    List<String> args = ServiceMembers.kafkaToPostgres(broker.bootstrapServers(), topic, group, db);
    args.addAll(
        List.of(
            "--kafka-property",
            "session.timeout.ms=2000",
            "--kafka-property",
            "heartbeat.interval.ms=250",
            "--max-size",
            "50",
            "--price-latency",
            "20ms",
            "--duration",
            "3m"));
    Member a = Member.start("member-a", args);
    Member b = Member.start("member-b", args);
    try {
      Await.until(
          Duration.ofSeconds(60),
          () -> stored(db) >= total / 5,
          () ->
              "the members store a fifth of the orders; A printed:\n"
                  + a.output()
                  + "\nB printed:\n"
                  + b.output());
      Await.until(
          Duration.ofSeconds(30),
          () -> sharedByTwo(assignments(group)),
          () -> "the members share the partitions: " + assignmentsSafely(group));
      Map<String, Set<TopicPartition>> before = assignments(group);

      postgres.stop();
      String unreachable = "outage: the database at " + db + " is unreachable: ";
      Await.until(
          Duration.ofSeconds(30),
          () -> a.output().contains(unreachable) && b.output().contains(unreachable),
          () ->
              "both members report the outage; A printed:\n"
                  + a.output()
                  + "\nB printed:\n"
                  + b.output());
      // Real time in an outside system: the database stays down for longer than the group's
      // session timeout (2 s), so a member that stopped polling would lose its partitions.
      LockSupport.parkNanos(Duration.ofSeconds(4).toNanos());
      assertTrue(!a.result.isDone() && !b.result.isDone(), "no member exits during the outage");

      postgres.restart();
      long back = System.nanoTime();
      String over = "outage over: the database at " + db + " is back after ";
      Await.until(
          RESUMES_WITHIN,
          () -> a.output().contains(over) && b.output().contains(over),
          () ->
              "both members resume within "
                  + RESUMES_WITHIN.toSeconds()
                  + " s; A printed:\n"
                  + a.output()
                  + "\nB printed:\n"
                  + b.output());
      long resumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
      System.out.println(
          "both members resumed "
              + resumedMillis
              + " ms after PostgreSQL was back;"
              + " outages as they reported them: A "
              + outageSeconds(a.output(), over)
              + " s, B "
              + outageSeconds(b.output(), over)
              + " s");

      assertEquals(
          before,
          assignments(group),
          "the same members hold the same partitions: nobody left the group or was evicted");

      Map<TopicPartition, Long> ends = broker.endOffsets(topic, PARTITIONS);
      Await.until(
          Duration.ofSeconds(60),
          () -> stored(db) == total && broker.committed(group).equals(ends),
          () ->
              "the members store and commit the rest: "
                  + stored(db)
                  + " of "
                  + total
                  + "; A printed:\n"
                  + a.output()
                  + "\nB printed:\n"
                  + b.output());
      a.stop.complete(null);
      b.stop.complete(null);
      ServiceMetrics.Snapshot aTotals = a.result.get(60, TimeUnit.SECONDS);
      ServiceMetrics.Snapshot bTotals = b.result.get(60, TimeUnit.SECONDS);

      assertExactlyOnce(db, total);
      assertEquals(ends, broker.committed(group));
      assertEquals(1, aTotals.outages(), a.output());
      assertEquals(1, bTotals.outages(), b.output());
      assertTrue(aTotals.retries() > 0 && bTotals.retries() > 0, "both retried");
      assertTrue(
          Pattern.compile("(?m)^  outages +1 \\(\\d+\\.\\d s in all\\)$")
              .matcher(a.output())
              .find(),
          "the report counts it:\n" + a.output());
    } finally {
      a.stop.complete(null);
      b.stop.complete(null);
    }
  }

  /** A member started while PostgreSQL is down waits for it, then runs as usual. */
  @Test
  void memberStartedWhileTheDatabaseIsDownWaitsForIt() throws Exception {
    String db = postgres.newDatabase();
    postgres.stop();
    Member member =
        Member.start(
            "member",
            List.of(
                "--jdbc-url",
                db,
                "--jdbc-user",
                EmbeddedPostgresServer.USER,
                "--jdbc-password",
                EmbeddedPostgresServer.PASSWORD,
                "--duration",
                "1s",
                "--rate",
                "2000"));
    try {
      Await.until(
          Duration.ofSeconds(30),
          () -> member.output().contains("outage: the database at " + db + " is unreachable: "),
          () -> "the member reports the outage; it printed:\n" + member.output());
      assertTrue(!member.result.isDone(), "the member waits:\n" + member.output());

      postgres.restart();
      ServiceMetrics.Snapshot totals = member.result.get(60, TimeUnit.SECONDS);

      assertTrue(
          member.output().contains("outage over: the database at " + db + " is back after "),
          member.output());
      assertTrue(totals.received() > 0, member.output());
      assertEquals(totals.received(), totals.committed());
      assertEquals(totals.received(), count(db, "SELECT COUNT(*) FROM enriched_orders"));
      assertEquals(1, totals.outages());
    } finally {
      member.stop.complete(null);
    }
  }

  /**
   * A database that stays down for longer than {@code --give-up-after} mid-run ends the run: exit
   * code 1 and one line naming the database.
   */
  @Test
  void outageLongerThanGiveUpAfterMidRunEndsTheRunWithOneLineNamingTheDatabase() throws Exception {
    String db = postgres.newDatabase();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> exitCode =
        CompletableFuture.supplyAsync(
            () ->
                OrderService.run(
                    new String[] {
                      "--jdbc-url",
                      db,
                      "--jdbc-user",
                      EmbeddedPostgresServer.USER,
                      "--duration",
                      "60s",
                      "--rate",
                      "2000",
                      "--give-up-after",
                      "2s"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    // From the environment: --jdbc-password would add its warning to the error.
                    Map.of(JdbcPassword.ENVIRONMENT_VARIABLE, EmbeddedPostgresServer.PASSWORD)::get,
                    new CompletableFuture<>()));
    Await.until(
        Duration.ofSeconds(60),
        () -> count(db, "SELECT COUNT(*) FROM enriched_orders") > 0,
        () -> "the run stores orders; it printed:\n" + out.toString(StandardCharsets.UTF_8));

    postgres.stop();
    int code = exitCode.get(60, TimeUnit.SECONDS);

    String errors = err.toString(StandardCharsets.UTF_8);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(OrderService.FAILED, code, errors);
    assertEquals(1, errors.lines().count(), "one line: " + errors);
    assertTrue(
        Pattern.compile(
                "error: gave up on the database at "
                    + Pattern.quote(db)
                    + ": unreachable for \\d+\\.\\d s \\(--give-up-after 2s\\): "
                    + ".*\\(SQLState [0-9A-Z]{5}\\)")
            .matcher(errors.strip())
            .matches(),
        errors);
    assertTrue(printed.contains("outage: the database at " + db + " is unreachable: "), printed);
  }

  /** At start too: nothing listening, --give-up-after 1s, exit code 1, one line. */
  @Test
  void databaseUnreachableAtStartForLongerThanGiveUpAfterEndsTheRun() {
    String url = "jdbc:postgresql://127.0.0.1:1/orders";

    ServiceRun run = ServiceRun.of("--jdbc-url", url, "--give-up-after", "1s");

    assertEquals(OrderService.FAILED, run.exitCode(), run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(
        Pattern.compile(
                "error: gave up on the database at "
                    + Pattern.quote(url)
                    + ": unreachable for \\d+\\.\\d s \\(--give-up-after 1s\\): "
                    + "Connection to 127\\.0\\.0\\.1:1 refused\\..* \\(SQLState 08001\\)")
            .matcher(run.err().strip())
            .matches(),
        run.err());
    // Standard output has the outage's start and nothing else: no end, no report.
    assertEquals(1, run.out().lines().count(), run.out());
    assertTrue(
        run.out()
            .startsWith(
                "outage: the database at "
                    + url
                    + " is unreachable: "
                    + "Connection to 127.0.0.1:1 refused."),
        run.out());
    assertTrue(run.out().strip().endsWith("(SQLState 08001); retrying for up to 1s"), run.out());
  }

  /** A member run on a thread of this JVM, with what it printed. */
  private record Member(
      ByteArrayOutputStream printed,
      CompletableFuture<Void> stop,
      CompletableFuture<ServiceMetrics.Snapshot> result) {

    static Member start(String name, List<String> args) throws UsageException {
      ServiceOptions options = OptionsParser.parse(args.toArray(String[]::new));
      Member member =
          new Member(
              new ByteArrayOutputStream(), new CompletableFuture<>(), new CompletableFuture<>());
      Thread thread =
          new Thread(
              () -> {
                try (PrintStream out =
                    new PrintStream(member.printed, true, StandardCharsets.UTF_8)) {
                  member.result.complete(new OrderPipeline(options, out, member.stop).run());
                } catch (Throwable e) {
                  member.result.completeExceptionally(e);
                }
              },
              name);
      thread.setDaemon(true);
      thread.start();
      return member;
    }

    String output() {
      return printed.toString(StandardCharsets.UTF_8);
    }
  }

  /** Writes the seeded stream (4 partitions) and returns how many orders it holds. */
  private static long writeOrders(String topic) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OrderTopicWriter.run(
            new String[] {
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--topic",
              topic,
              "--partitions",
              Integer.toString(PARTITIONS),
              "--rate",
              "10000",
              "--duration",
              "1s",
              "--seed",
              "5"
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(OrderService.OK, code, err.toString(StandardCharsets.UTF_8));
    return broker.endOffsets(topic, PARTITIONS).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Each member's partitions, by member id. */
  private static Map<String, Set<TopicPartition>> assignments(String group) throws Exception {
    ConsumerGroupDescription description =
        admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
    Map<String, Set<TopicPartition>> byMember = new HashMap<>();
    for (MemberDescription member : description.members()) {
      byMember.put(member.consumerId(), Set.copyOf(member.assignment().topicPartitions()));
    }
    return byMember;
  }

  private static String assignmentsSafely(String group) {
    try {
      return assignments(group).toString();
    } catch (Exception e) {
      return "(unknown: " + e.getMessage() + ")";
    }
  }

  /** Two members, each with some of the partitions, all of them assigned. */
  private static boolean sharedByTwo(Map<String, Set<TopicPartition>> assignments) {
    return assignments.size() == 2
        && assignments.values().stream().noneMatch(Set::isEmpty)
        && assignments.values().stream().mapToInt(Set::size).sum() == PARTITIONS;
  }

  private static String outageSeconds(String output, String over) {
    Matcher matcher = Pattern.compile(Pattern.quote(over) + "(\\d+\\.\\d) s").matcher(output);
    return matcher.find() ? matcher.group(1) : "?";
  }
}
