package dev.converge;

import java.util.Objects;
import java.util.function.Function;

/**
 * The settled result of one branch of a {@link Join.Mode#SETTLE_ALL} join: either the value it
 * produced or the exception it failed with.
 *
 * <p>On Java 21+ use an exhaustive {@code switch} with record patterns; on 17 use
 * {@link #fold(Function, Function)}.
 *
 * @param <T> the branch's value type
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Failure {

  /**
   * Returns a successful outcome.
   *
   * @param value the branch's value, possibly {@code null}
   * @param <T> the value type
   * @return a {@link Success} holding {@code value}
   */
  static <T> Outcome<T> success(T value) {
    return new Success<>(value);
  }

  /**
   * Returns a failed outcome.
   *
   * @param error the branch's failure
   * @param <T> the value type the branch would have produced
   * @return a {@link Failure} holding {@code error}
   * @throws NullPointerException if {@code error} is null
   */
  static <T> Outcome<T> failure(Throwable error) {
    return new Failure<>(error);
  }

  /**
   * Applies the function matching this outcome.
   *
   * @param onSuccess applied to the value of a {@link Success}
   * @param onFailure applied to the error of a {@link Failure}
   * @param <R> the result type
   * @return what the applied function returned
   */
  <R> R fold(
      Function<? super T, ? extends R> onSuccess,
      Function<? super Throwable, ? extends R> onFailure);

  /**
   * Tells whether the branch succeeded.
   *
   * @return {@code true} for a {@link Success}
   */
  boolean isSuccess();

  /**
   * A branch that completed normally.
   *
   * @param value the value it produced, possibly {@code null}
   * @param <T> the value type
   */
  record Success<T>(T value) implements Outcome<T> {
    @Override
    public <R> R fold(
        Function<? super T, ? extends R> onSuccess,
        Function<? super Throwable, ? extends R> onFailure) {
      return onSuccess.apply(value);
    }

    @Override
    public boolean isSuccess() {
      return true;
    }
  }

  /**
   * A branch that failed.
   *
   * @param error the exception it failed with, unwrapped from
   *     {@link java.util.concurrent.CompletionException}; never {@code null}
   * @param <T> the value type the branch would have produced
   */
  record Failure<T>(Throwable error) implements Outcome<T> {
    /**
     * Creates a failed outcome.
     *
     * @param error the exception the branch failed with
     * @throws NullPointerException if {@code error} is null
     */
    public Failure {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public <R> R fold(
        Function<? super T, ? extends R> onSuccess,
        Function<? super Throwable, ? extends R> onFailure) {
      return onFailure.apply(error);
    }

    @Override
    public boolean isSuccess() {
      return false;
    }
  }
}
