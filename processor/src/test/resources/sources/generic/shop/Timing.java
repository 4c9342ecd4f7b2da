package shop;

import dev.converge.Race;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

public interface Timing {
  @Race
  <T extends Comparable<T>> CompletableFuture<Timed<T>> timed(CompletionStage<T> fast,
      Callable<T> slow);
}
