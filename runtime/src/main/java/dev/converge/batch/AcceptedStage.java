package dev.converge.batch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one stage every accepted {@link BatchChannel#send} returns: completed with {@code null}, shared
 * by all channels and all callers, and unchangeable.
 *
 * <p>It is its own {@link #toCompletableFuture()}, so a blocking producer's {@code
 * send(item).toCompletableFuture().join()} allocates nothing once the item is accepted (a {@link
 * CompletableFuture#minimalCompletionStage() minimal stage} would make a new future for every such
 * call). Since the future is shared, nobody may change it: {@code complete}, {@code
 * completeExceptionally} and {@code cancel} do nothing and return {@code false}, as they do on any
 * completed future; {@code completeAsync}, {@code completeOnTimeout} and {@code orTimeout} do
 * nothing and return it; {@code obtrudeValue} and {@code obtrudeException}, which would overwrite
 * the result every other sender sees, throw {@link UnsupportedOperationException}. Dependent stages
 * ({@code thenRun}, ...) are ordinary futures, so what a caller does to those affects nobody else.
 */
final class AcceptedStage extends CompletableFuture<Void> {

  static final AcceptedStage INSTANCE = new AcceptedStage();

  private AcceptedStage() {
    super.complete(null);
  }

  @Override
  public CompletableFuture<Void> toCompletableFuture() {
    return this;
  }

  @Override
  public boolean complete(Void value) {
    return false;
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    return false;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return false;
  }

  @Override
  public CompletableFuture<Void> completeAsync(
      Supplier<? extends Void> supplier, Executor executor) {
    return this;
  }

  @Override
  public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier) {
    return this;
  }

  @Override
  public CompletableFuture<Void> completeOnTimeout(Void value, long timeout, TimeUnit unit) {
    return this;
  }

  @Override
  public CompletableFuture<Void> orTimeout(long timeout, TimeUnit unit) {
    return this;
  }

  @Override
  public void obtrudeValue(Void value) {
    throw new UnsupportedOperationException("the accepted-send stage is shared and cannot change");
  }

  @Override
  public void obtrudeException(Throwable ex) {
    throw new UnsupportedOperationException("the accepted-send stage is shared and cannot change");
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public CompletionStage<Void> minimalCompletionStage() {
    return this;
  }

  @Override
  public String toString() {
    return "AcceptedStage[completed normally]";
  }
}
