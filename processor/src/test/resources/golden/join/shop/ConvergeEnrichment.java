package shop;

import dev.converge.ConvergeExecutors;
import dev.converge.JoinCall;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.annotation.processing.Generated;

/**
 * Implements {@link Enrichment} with the Converge engine: each method attaches its
 * arguments, as branches, to a race or join with the rule its annotation names.
 *
 * <p>An instance holds nothing but the executor that runs {@code Callable} branches; it is
 * immutable and safe for concurrent use.
 */
@Generated("dev.converge.processor.ConvergeProcessor")
final class ConvergeEnrichment implements Enrichment {
  private final Executor executor;

  private ConvergeEnrichment(Executor executor) {
    this.executor = executor;
  }

  /**
   * Returns an {@link Enrichment} that runs {@code Callable} branches on
   * {@code ConvergeExecutors.defaultExecutor()}: virtual threads where the JDK has them.
   *
   * @return a new instance
   */
  public static Enrichment create() {
    return new ConvergeEnrichment(ConvergeExecutors.defaultExecutor());
  }

  /**
   * Returns an {@link Enrichment} that runs {@code Callable} branches on {@code executor}.
   *
   * @param executor runs {@code Callable} branches
   * @return a new instance
   * @throws NullPointerException if {@code executor} is null
   */
  public static Enrichment create(Executor executor) {
    return new ConvergeEnrichment(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * Joins {@code user} and {@code orders}, as declared by {@link Enrichment#enrich}
   * ({@code @Join(FAIL_FAST)}): every branch must succeed; the first failure fails the join at
   * once.
   *
   * <p>Once a branch fails, or the returned future is completed or cancelled from outside,
   * every branch still running is cancelled.
   *
   * <p>Throws {@code NullPointerException} naming the parameter if an argument is null, before
   * any branch starts.
   */
  @Override
  public CompletableFuture<Enriched> enrich(CompletionStage<User> user,
      Callable<List<Order>> orders) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(orders, "orders");
    JoinCall<Enriched> call = JoinCall.failFast(executor, 2);
    JoinCall.Slot<User> userSlot = call.stage(user, /* keep= */ false);
    JoinCall.Slot<List<Order>> ordersSlot = call.callable(orders, /* keep= */ false);
    return call.combine(() -> new Enriched(userSlot.value(), ordersSlot.value()));
  }

  /**
   * Joins {@code user} and {@code orders}, as declared by {@link Enrichment#settle}
   * ({@code @Join(SETTLE_ALL)}): waits for every branch and keeps each one's outcome; a
   * failing branch never fails the join.
   *
   * <p>Once the returned future is completed or cancelled from outside, every branch still
   * running is cancelled.
   *
   * <p>Throws {@code NullPointerException} naming the parameter if an argument is null, before
   * any branch starts.
   */
  @Override
  public CompletionStage<Settled> settle(CompletionStage<? extends User> user,
      Supplier<? extends CompletableFuture<List<Order>>> orders) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(orders, "orders");
    JoinCall<Settled> call = JoinCall.settleAll(executor, 2);
    JoinCall.Slot<? extends User> userSlot = call.stage(user, /* keep= */ false);
    JoinCall.Slot<List<Order>> ordersSlot = call.supplier(orders, /* keep= */ false);
    return call.combine(() -> new Settled(userSlot.outcome(), ordersSlot.outcome()));
  }

  /**
   * Joins {@code call} and {@code callSlot}, as declared by {@link Enrichment#join}
   * ({@code @Join(FAIL_FAST)}): every branch must succeed; the first failure fails the join at
   * once.
   *
   * <p>Once a branch fails, every branch still running is cancelled; if the calling thread is
   * interrupted while waiting, every branch still running is cancelled and
   * {@code InterruptedException} is thrown.
   *
   * <p>Throws {@code NullPointerException} naming the parameter if an argument is null, before
   * any branch starts.
   */
  @Override
  public Pair join(CompletableFuture<String> call, Callable<String> callSlot)
      throws InterruptedException {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(callSlot, "callSlot");
    JoinCall<Pair> call2 = JoinCall.failFast(executor, 2);
    JoinCall.Slot<String> callSlot2 = call2.stage(call, /* keep= */ false);
    JoinCall.Slot<String> callSlotSlot = call2.callable(callSlot, /* keep= */ false);
    return call2.combine(() -> new Pair(callSlot2.value(), callSlotSlot.value()))
        .await();
  }
}
