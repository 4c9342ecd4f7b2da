package shop;

import dev.converge.Keep;
import dev.converge.Race;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

public interface Lookups {
  @Race
  CompletableFuture<UserSource> user(CompletionStage<CachedUser> cache,
      @Keep CompletionStage<DbUser> db);

  @Race(Race.Mode.FIRST_SUCCESS)
  PriceSource price(Supplier<CompletionStage<Price>> primary, Callable<Price> mirror)
      throws InterruptedException, IOException;
}
