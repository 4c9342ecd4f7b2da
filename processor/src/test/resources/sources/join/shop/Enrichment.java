package shop;

import dev.converge.Join;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

interface Enrichment {
  @Join
  CompletableFuture<Enriched> enrich(CompletionStage<User> user, Callable<List<Order>> orders);

  @Join(Join.Mode.SETTLE_ALL)
  CompletionStage<Settled> settle(CompletionStage<? extends User> user,
      Supplier<? extends CompletableFuture<List<Order>>> orders);

  @Join
  Pair join(CompletableFuture<String> call, Callable<String> callSlot) throws InterruptedException;
}
