package dev.converge;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor that generated {@code create()} methods use to run {@link java.util.concurrent.Callable}
 * branches when the user does not pass one.
 *
 * <p>On a JDK with virtual threads (21+) it starts one virtual thread per task, found at run time
 * so that the runtime still compiles and runs on Java 17. On older JDKs it is a cached pool of daemon
 * threads named {@code converge-1}, {@code converge-2}, …, which are created on demand and end after
 * 60 seconds idle, so an idle application holds none of them and they never keep the JVM alive.
 */
public final class ConvergeExecutors {

  private ConvergeExecutors() {}

  /**
   * Returns the shared default executor, creating it on first use.
   *
   * <p>It is a plain {@link Executor}, not the {@link ExecutorService} behind it, so nobody can shut
   * down the executor every generated {@code create()} shares: not by {@code shutdown()}, and not
   * by a try-with-resources block around it ({@code ExecutorService} is {@link AutoCloseable} on
   * Java 19+, and its {@code close()} shuts it down).
   *
   * @return the process-wide default executor
   */
  public static Executor defaultExecutor() {
    return Holder.EXECUTOR;
  }

  /**
   * Tells whether the default executor runs tasks on virtual threads.
   *
   * @return {@code true} on a JDK that offers {@code Executors.newVirtualThreadPerTaskExecutor()}
   */
  public static boolean usesVirtualThreads() {
    return Holder.VIRTUAL;
  }

  /** Lazily initialized so that merely loading the runtime creates nothing. */
  private static final class Holder {
    static final boolean VIRTUAL;
    static final Executor EXECUTOR;

    static {
      ExecutorService virtual = virtualThreadExecutor();
      VIRTUAL = virtual != null;
      EXECUTOR =
          new Unclosable(
              virtual != null ? virtual : Executors.newCachedThreadPool(new DaemonThreadFactory()));
    }

    private static ExecutorService virtualThreadExecutor() {
      try {
        MethodHandle factory =
            MethodHandles.publicLookup()
                .findStatic(
                    Executors.class,
                    "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        return (ExecutorService) factory.invokeExact();
      } catch (NoSuchMethodException | IllegalAccessException | UnsupportedOperationException e) {
        // Java 17-20 (or virtual threads disabled): fall back to platform daemon threads.
        return null;
      } catch (Throwable e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * The view of the shared service that {@link #defaultExecutor()} hands out: it can run tasks and
   * nothing else, so no caller can shut the service down or close it.
   */
  private static final class Unclosable implements Executor {
    private final ExecutorService service;

    Unclosable(ExecutorService service) {
      this.service = service;
    }

    @Override
    public void execute(Runnable task) {
      service.execute(task);
    }

    @Override
    public String toString() {
      return "ConvergeExecutors.defaultExecutor() ("
          + (Holder.VIRTUAL ? "virtual threads" : "daemon platform threads")
          + ")";
    }
  }

  private static final class DaemonThreadFactory implements ThreadFactory {
    private final AtomicLong count = new AtomicLong();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "converge-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
