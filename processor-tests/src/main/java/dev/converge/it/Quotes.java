package dev.converge.it;

import dev.converge.Race;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An abstract class with state and concrete methods besides its abstract {@code @Race} method. */
public abstract class Quotes {
  private final String currency;

  /** Creates quotes in euros; the generated subclass calls this constructor. */
  protected Quotes() {
    this.currency = "EUR";
  }

  /**
   * Returns the currency of every quote.
   *
   * @return an ISO 4217 code
   */
  public String currency() {
    return currency;
  }

  /**
   * Races an exchange against a broker.
   *
   * @param exchange the exchange's quote
   * @param broker asks the broker
   * @return which branch won
   */
  @Race(Race.Mode.FIRST_SUCCESS)
  public abstract CompletableFuture<Quote> quote(
      CompletionStage<Long> exchange, Callable<Long> broker);
}
