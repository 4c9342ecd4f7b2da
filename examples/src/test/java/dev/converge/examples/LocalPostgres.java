package dev.converge.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.concurrent.CountDownLatch;

/**
 * For trying the service on PostgreSQL on a machine without one: runs the tests' embedded
 * PostgreSQL (io.zonky.test, downloaded from Maven Central) on a port, 5432 unless given, until the
 * JVM is stopped. User and password are {@code postgres}; its data lives in a temporary directory
 * and is gone when it stops. See examples/README.md for the command.
 */
public final class LocalPostgres {

  private LocalPostgres() {}

  /**
   * Starts PostgreSQL and waits for Ctrl-C.
   *
   * @param args optionally the port
   * @throws Exception if PostgreSQL cannot start
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 5432;
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(port).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (Exception e) {
                    System.err.println("error: closing PostgreSQL: " + e.getMessage());
                  }
                  stopped.countDown();
                },
                "local-postgres-shutdown"));
    System.out.println(
        "PostgreSQL at "
            + postgres.getJdbcUrl("postgres", "postgres")
            + " (user postgres, password postgres; Ctrl-C stops it)");
    stopped.await();
  }
}
