package shop;

import java.util.function.Function;
import javax.annotation.processing.Generated;

/**
 * Which branch won the race of {@link Outer.Lookups#fastest}: one record per parameter of
 * that method, holding the winning branch's value.
 *
 * <p>Rule ({@code @Race(FIRST_COMPLETED)}): the first branch to complete decides, with its
 * value or its failure.
 *
 * <p>Read it with {@link #fold}, which takes one function per branch, or on Java 21+ with an
 * exhaustive {@code switch} over the records.
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public sealed interface Fastest permits Fastest.Left, Fastest.Right {
  /**
   * Returns the winning branch's value; each record narrows its type.
   *
   * @return the value the winning branch completed with, possibly {@code null}
   */
  Object value();

  /**
   * Applies the function of the winning branch to its value.
   *
   * @param left applied if {@code left} won
   * @param right applied if {@code right} won
   * @param <R> the type the functions return
   * @return what the applied function returned
   */
  <R> R fold(Function<? super String, ? extends R> left,
      Function<? super Integer, ? extends R> right);

  /**
   * The branch {@code left} won the race.
   *
   * @param value the value {@code left} completed with, possibly {@code null}
   */
  record Left(String value) implements Fastest {
    @Override
    public <R> R fold(Function<? super String, ? extends R> left,
        Function<? super Integer, ? extends R> right) {
      return left.apply(this.value);
    }
  }

  /**
   * The branch {@code right} won the race.
   *
   * @param value the value {@code right} completed with, possibly {@code null}
   */
  record Right(Integer value) implements Fastest {
    @Override
    public <R> R fold(Function<? super String, ? extends R> left,
        Function<? super Integer, ? extends R> right) {
      return right.apply(this.value);
    }
  }
}
