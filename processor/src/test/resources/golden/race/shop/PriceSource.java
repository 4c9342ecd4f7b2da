package shop;

import java.util.function.Function;
import javax.annotation.processing.Generated;

/**
 * Which branch won the race of {@link Lookups#price}: one record per parameter of that
 * method, holding the winning branch's value.
 *
 * <p>Rule ({@code @Race(FIRST_SUCCESS)}): the first branch to succeed wins; only when every
 * branch has failed does the race fail, with an {@code AllFailedException} holding each
 * failure.
 *
 * <p>Read it with {@link #fold}, which takes one function per branch, or on Java 21+ with an
 * exhaustive {@code switch} over the records.
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public sealed interface PriceSource permits PriceSource.Primary, PriceSource.Mirror {
  /**
   * Returns the winning branch's value; each record narrows its type.
   *
   * @return the value the winning branch completed with, possibly {@code null}
   */
  Object value();

  /**
   * Applies the function of the winning branch to its value.
   *
   * @param primary applied if {@code primary} won
   * @param mirror applied if {@code mirror} won
   * @param <R> the type the functions return
   * @return what the applied function returned
   */
  <R> R fold(Function<? super Price, ? extends R> primary,
      Function<? super Price, ? extends R> mirror);

  /**
   * The branch {@code primary} won the race.
   *
   * @param value the value {@code primary} completed with, possibly {@code null}
   */
  record Primary(Price value) implements PriceSource {
    @Override
    public <R> R fold(Function<? super Price, ? extends R> primary,
        Function<? super Price, ? extends R> mirror) {
      return primary.apply(this.value);
    }
  }

  /**
   * The branch {@code mirror} won the race.
   *
   * @param value the value {@code mirror} completed with, possibly {@code null}
   */
  record Mirror(Price value) implements PriceSource {
    @Override
    public <R> R fold(Function<? super Price, ? extends R> primary,
        Function<? super Price, ? extends R> mirror) {
      return mirror.apply(this.value);
    }
  }
}
