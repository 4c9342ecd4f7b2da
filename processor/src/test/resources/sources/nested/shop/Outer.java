package shop;

import dev.converge.Join;
import dev.converge.Race;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

public class Outer {
  public interface Lookups {
    @Race
    CompletableFuture<Fastest> fastest(CompletionStage<String> left,
        CompletionStage<Integer> right);

    @Join
    CompletableFuture<Both> both(CompletionStage<String> left, CompletionStage<Integer> right);
  }
}
