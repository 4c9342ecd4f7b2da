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
  public static CompletableFuture<HandFastest> firstWithSignal(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
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
  public static CompletableFuture<HandFastest> firstWithValue(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
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
  public static CompletableFuture<HandProfile> zip(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
    return Mono.zip(Mono.fromFuture(name), Mono.fromFuture(count), Mono.fromFuture(total))
        .map(values -> new HandProfile(values.getT1(), values.getT2(), values.getT3()))
        .toFuture();
  }

  /**
   * {@link Mono#firstWithSignal} over six lookups.
   *
   * @param in the lookups
   * @return the winner as its record
   */
  public static CompletableFuture<HandSix.Fastest> firstWithSignal(HandSix.Inputs in) {
    return Mono.firstWithSignal(
            List.<Mono<HandSix.Fastest>>of(
                Mono.fromFuture(in.name).map(HandSix.Fastest.Name::new),
                Mono.fromFuture(in.count).map(HandSix.Fastest.Count::new),
                Mono.fromFuture(in.total).map(HandSix.Fastest.Total::new),
                Mono.fromFuture(in.ratio).map(HandSix.Fastest.Ratio::new),
                Mono.fromFuture(in.active).map(HandSix.Fastest.Active::new),
                Mono.fromFuture(in.grade).map(HandSix.Fastest.Grade::new)))
        .toFuture();
  }

  /**
   * {@link Mono#zip(Mono, Mono, Mono, Mono, Mono, Mono)} of six lookups into a record.
   *
   * @param in the lookups
   * @return the six values
   */
  public static CompletableFuture<HandSix.Profile> zip(HandSix.Inputs in) {
    return Mono.zip(
            Mono.fromFuture(in.name),
            Mono.fromFuture(in.count),
            Mono.fromFuture(in.total),
            Mono.fromFuture(in.ratio),
            Mono.fromFuture(in.active),
            Mono.fromFuture(in.grade))
        .map(
            v ->
                new HandSix.Profile(
                    v.getT1(), v.getT2(), v.getT3(), v.getT4(), v.getT5(), v.getT6()))
        .toFuture();
  }

  private static List<Mono<HandFastest>> typed(
      CompletableFuture<String> name,
      CompletableFuture<Integer> count,
      CompletableFuture<Long> total) {
    return List.of(
        Mono.fromFuture(name).map(HandFastest.Name::new),
        Mono.fromFuture(count).map(HandFastest.Count::new),
        Mono.fromFuture(total).map(HandFastest.Total::new));
  }
}
