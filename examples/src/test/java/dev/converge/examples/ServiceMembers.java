package dev.converge.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Members of a consumer group for the end-to-end tests: one in a JVM of its own, or in this one. */
final class ServiceMembers {

  private ServiceMembers() {}

  /**
   * The flags of a member that reads orders from Kafka and stores them in PostgreSQL, as the
   * end-to-end tests run it; a test adds its own after them.
   *
   * @param bootstrapServers the broker
   * @param topic the orders' topic
   * @param group the consumer group
   * @param db the JDBC URL of the database the orders go to
   * @return the flags, in a list the caller may add to
   */
  static List<String> kafkaToPostgres(
      String bootstrapServers, String topic, String group, String db) {
    return new ArrayList<>(
        List.of(
            "--source",
            "kafka",
            "--bootstrap-servers",
            bootstrapServers,
            "--topic",
            topic,
            "--group",
            group,
            "--jdbc-url",
            db,
            "--jdbc-user",
            EmbeddedPostgresServer.USER,
            "--jdbc-password",
            EmbeddedPostgresServer.PASSWORD));
  }

  /**
   * Starts the service in a JVM of its own, with this test's classpath, so that a test can kill it.
   *
   * @param args the service's flags
   * @param output where its standard output and error go
   * @return the process
   * @throws IOException if the JVM cannot start
   */
  static Process childJvm(List<String> args, Path output) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OrderService.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  /**
   * Runs the service on a daemon thread of this JVM, until {@code stop} completes.
   *
   * @param args the service's flags
   * @param output where it prints
   * @param stop completing it ends the run cleanly
   * @return the run's final counts, or its failure
   * @throws UsageException if a flag is wrong
   */
  static CompletableFuture<ServiceMetrics.Snapshot> inProcess(
      List<String> args, ByteArrayOutputStream output, CompletableFuture<Void> stop)
      throws UsageException {
    ServiceOptions options = OptionsParser.parse(args.toArray(String[]::new));
    CompletableFuture<ServiceMetrics.Snapshot> result = new CompletableFuture<>();
    Thread member =
        new Thread(
            () -> {
              try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                result.complete(new OrderPipeline(options, out, stop).run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "member");
    member.setDaemon(true);
    member.start();
    return result;
  }
}
