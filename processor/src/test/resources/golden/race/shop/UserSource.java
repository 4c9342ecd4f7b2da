package shop;

import java.util.function.Function;
import javax.annotation.processing.Generated;

/**
 * Which branch won the race of {@link Lookups#user}: one record per parameter of that
 * method, holding the winning branch's value.
 *
 * <p>Rule ({@code @Race(FIRST_COMPLETED)}): the first branch to complete decides, with its
 * value or its failure.
 *
 * <p>Read it with {@link #fold}, which takes one function per branch, or on Java 21+ with an
 * exhaustive {@code switch} over the records.
 */
@Generated("dev.converge.processor.ConvergeProcessor")
public sealed interface UserSource permits UserSource.Cache, UserSource.Db {
  /**
   * Returns the winning branch's value; each record narrows its type.
   *
   * @return the value the winning branch completed with, possibly {@code null}
   */
  Object value();

  /**
   * Applies the function of the winning branch to its value.
   *
   * @param cache applied if {@code cache} won
   * @param db applied if {@code db} won
   * @param <R> the type the functions return
   * @return what the applied function returned
   */
  <R> R fold(Function<? super CachedUser, ? extends R> cache,
      Function<? super DbUser, ? extends R> db);

  /**
   * The branch {@code cache} won the race.
   *
   * @param value the value {@code cache} completed with, possibly {@code null}
   */
  record Cache(CachedUser value) implements UserSource {
    @Override
    public <R> R fold(Function<? super CachedUser, ? extends R> cache,
        Function<? super DbUser, ? extends R> db) {
      return cache.apply(this.value);
    }
  }

  /**
   * The branch {@code db} won the race.
   *
   * @param value the value {@code db} completed with, possibly {@code null}
   */
  record Db(DbUser value) implements UserSource {
    @Override
    public <R> R fold(Function<? super CachedUser, ? extends R> cache,
        Function<? super DbUser, ? extends R> db) {
      return db.apply(this.value);
    }
  }
}
