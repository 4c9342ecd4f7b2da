package dev.converge.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * The same races and joins written with Project Reactor: each lookup adapted with {@link
 * Mono#fromFuture(CompletableFuture)} (which cancels the future when the subscription is cancelled,
 * so losers are cancelled like Converge's), mapped to its typed record, combined, and handed back as
 * a {@link CompletableFuture} like the other contenders.
 */
public final class WithReactor {

  private WithReactor() {}

  /**
   * {@link Mono#firstWithSignal}: the first lookup to complete decides.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the winner as its record
   */
  public static CompletableFuture<HandFastest> firstWithSignal(CompletableFuture<String> name,
      CompletableFuture<Integer> count, CompletableFuture<Long> total) {
    return Mono.firstWithSignal(typed(name, count, total)).toFuture();
  }

  /**
   * {@link Mono#firstWithValue}: the first lookup to succeed decides.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the winner as its record
   */
  public static CompletableFuture<HandFastest> firstWithValue(CompletableFuture<String> name,
      CompletableFuture<Integer> count, CompletableFuture<Long> total) {
    return Mono.firstWithValue(typed(name, count, total)).toFuture();
  }

  /**
   * {@link Mono#zip(Mono, Mono, Mono)} into a record.
   *
   * @param name the name lookup
   * @param count the count lookup
   * @param total the total lookup
   * @return the three values
   */
  public static CompletableFuture<HandProfile> zip(CompletableFuture<String> name,
      CompletableFuture<Integer> count, CompletableFuture<Long> total) {
    return Mono.zip(Mono.fromFuture(name), Mono.fromFuture(count), Mono.fromFuture(total))
        .map(values -> new HandProfile(values.getT1(), values.getT2(), values.getT3()))
        .toFuture();
  }

  private static List<Mono<HandFastest>> typed(CompletableFuture<String> name,
      CompletableFuture<Integer> count, CompletableFuture<Long> total) {
    return List.of(
        Mono.fromFuture(name).map(HandFastest.Name::new),
        Mono.fromFuture(count).map(HandFastest.Count::new),
        Mono.fromFuture(total).map(HandFastest.Total::new));
  }
}
