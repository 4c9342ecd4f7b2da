package dev.converge;

import java.util.function.Function;

/**
 * Plays the sealed interface the processor generates for a three-parameter {@code @Race} method
 * {@code user(cache, db, mirror)}: one record per parameter, in parameter order.
 */
sealed interface UserSource permits UserSource.Cache, UserSource.Db, UserSource.Mirror {

  Object value();

  <R> R fold(
      Function<? super String, ? extends R> cache,
      Function<? super Integer, ? extends R> db,
      Function<? super Long, ? extends R> mirror);

  record Cache(String value) implements UserSource {
    @Override
    public <R> R fold(
        Function<? super String, ? extends R> cache,
        Function<? super Integer, ? extends R> db,
        Function<? super Long, ? extends R> mirror) {
      return cache.apply(value);
    }
  }

  record Db(Integer value) implements UserSource {
    @Override
    public <R> R fold(
        Function<? super String, ? extends R> cache,
        Function<? super Integer, ? extends R> db,
        Function<? super Long, ? extends R> mirror) {
      return db.apply(value);
    }
  }

  record Mirror(Long value) implements UserSource {
    @Override
    public <R> R fold(
        Function<? super String, ? extends R> cache,
        Function<? super Integer, ? extends R> db,
        Function<? super Long, ? extends R> mirror) {
      return mirror.apply(value);
    }
  }
}
