package dev.converge.examples;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The order-enrichment service: the command-line entry point.
 *
 * <p>It prints a progress line about once a second and a final report, and exits with 0. A bad flag
 * (exit code 2) or a failure such as an unreachable database (exit code 1) is reported as one line
 * on standard error, never as a stack trace. Run it with {@code --help} for the flags.
 */
public final class OrderService {

  /** Exit code of a run that committed every order. */
  public static final int OK = 0;

  /** Exit code of a run that failed: database, pricing service or a batch. */
  public static final int FAILED = 1;

  /** Exit code of a command line that could not be understood. */
  public static final int USAGE = 2;

  private OrderService() {}

  /** How long Ctrl-C (SIGINT) or SIGTERM waits for the run to close and print its report. */
  private static final long SHUTDOWN_GRACE_SECONDS = 40;

  /**
   * Runs the service and exits the JVM with a non-zero code if it failed. Ctrl-C (SIGINT) or a
   * plain {@code kill} (SIGTERM) ends the run as the end of {@code --duration} does: the generator
   * stops and the pipeline drains; a Kafka member stops taking batches, commits what it stored and
   * leaves its group; then the report is printed. (kill -9 gives it no such chance; the group then
   * reads again what was not committed.)
   *
   * @param args the flags; see {@code --help}
   */
  public static void main(String[] args) {
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CountDownLatch ended = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.complete(null);
              try {
                ended.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "order-service-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int code;
    try {
      code = run(args, System.out, System.err, stop);
    } finally {
      ended.countDown();
    }
    if (code != OK) {
      System.exit(code);
    }
  }

  /**
   * Runs the service in the calling thread until every order has been committed, and returns the
   * exit code. Tests call this in-process. The database password may come from the environment
   * variable {@value JdbcPassword#ENVIRONMENT_VARIABLE}, as in {@link #main}.
   *
   * @param args the flags; see {@code --help}
   * @param out where progress lines and the report go
   * @param err where the one-line error, and the warning about {@code --jdbc-password}, go
   * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System::getenv, new CompletableFuture<>());
  }

  /**
   * Runs the service in the calling thread until its source ends or {@code stop} completes.
   *
   * @param args the flags
   * @param out where progress lines and the report go
   * @param err where the one-line error, and the warning about {@code --jdbc-password}, go
   * @param stop completing it ends the run early, as the end of {@code --duration} does
   * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
   */
  static int run(String[] args, PrintStream out, PrintStream err, CompletableFuture<Void> stop) {
    return run(args, out, err, System::getenv, stop);
  }

  /**
   * Runs the service in the calling thread until its source ends or {@code stop} completes. Every
   * error line is scrubbed of the run's secrets ({@link SecretValues}): a driver's or a client's
   * message may quote what it was given.
   *
   * @param args the flags
   * @param out where progress lines and the report go
   * @param err where the one-line error, and the warning about {@code --jdbc-password}, go
   * @param environment the environment variables by name (null for an unset one)
   * @param stop completing it ends the run early, as the end of {@code --duration} does
   * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
   */
  static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      Function<String, String> environment,
      CompletableFuture<Void> stop) {
    Optional<ServiceOptions> options;
    try {
      options = OptionsParser.parse(new ServiceOptions(), out, args);
      if (options.isEmpty()) {
        return OK; // --help or --version, printed
      }
      options.get().readPassword(environment, err);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    SecretValues secrets = SecretValues.of(options.get());
    try {
      new OrderPipeline(options.get(), out, stop).run();
      return OK;
    } catch (ServiceFailure e) {
      err.println(secrets.scrub("error: " + e.getMessage()));
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted before the run ended");
      return FAILED;
    } catch (RuntimeException e) {
      // Not one of the failures the service expects: still one line, naming what went wrong.
      err.println(
          secrets.scrub(
              "error: unexpected "
                  + e.getClass().getSimpleName()
                  + ": "
                  + ServiceFailure.describe(e)));
      return FAILED;
    }
  }
}
