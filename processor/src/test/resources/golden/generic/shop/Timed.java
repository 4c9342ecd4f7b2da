package shop;

import java.util.function.Function;
import javax.annotation.processing.Generated;

/**
 * Which branch won the race of {@link Timing#timed}: one record per parameter of that
 * method, holding the winning branch's value.
 *
 * <p>Rule ({@code @Race(FIRST_COMPLETED)}): the first branch to complete decides, with its
 * value or its failure.
 *
 * <p>Read it with {@link #fold}, which takes one function per branch, or on Java 21+ with an
 * exhaustive {@code switch} over the records.
 *
 * @param <T> the type variable {@code T} of the method
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public sealed interface Timed<T extends Comparable<T>> permits Timed.Fast, Timed.Slow {
  /**
   * Returns the winning branch's value; each record narrows its type.
   *
   * @return the value the winning branch completed with, possibly {@code null}
   */
  Object value();

  /**
   * Applies the function of the winning branch to its value.
   *
   * @param fast applied if {@code fast} won
   * @param slow applied if {@code slow} won
   * @param <R> the type the functions return
   * @return what the applied function returned
   */
  <R> R fold(Function<? super T, ? extends R> fast, Function<? super T, ? extends R> slow);

  /**
   * The branch {@code fast} won the race.
   *
   * @param value the value {@code fast} completed with, possibly {@code null}
   * @param <T> the type variable {@code T} of the method
   */
  record Fast<T extends Comparable<T>>(T value) implements Timed<T> {
    @Override
    public <R> R fold(Function<? super T, ? extends R> fast,
        Function<? super T, ? extends R> slow) {
      return fast.apply(this.value);
    }
  }

  /**
   * The branch {@code slow} won the race.
   *
   * @param value the value {@code slow} completed with, possibly {@code null}
   * @param <T> the type variable {@code T} of the method
   */
  record Slow<T extends Comparable<T>>(T value) implements Timed<T> {
    @Override
    public <R> R fold(Function<? super T, ? extends R> fast,
        Function<? super T, ? extends R> slow) {
      return slow.apply(this.value);
    }
  }
}
