package dev.converge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An abstract class implemented by a generated subclass. */
class AbstractClassTest {

  @Test
  void generatedSubclassKeepsTheStateAndConcreteMethodsOfItsSuperclass() {
    Quotes quotes = ConvergeQuotes.create();
    assertEquals("EUR", quotes.currency());
  }

  @Test
  void abstractRaceMethodIsImplemented() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Quotes quotes = ConvergeQuotes.create(executor);
      CompletableFuture<Long> exchange = new CompletableFuture<>();
      CompletableFuture<Quote> quote = quotes.quote(exchange, () -> 101L);

      assertEquals(new Quote.Broker(101L), quote.get(10, TimeUnit.SECONDS));
      assertTrue(exchange.isCancelled(), "the losing exchange quote is cancelled");
    } finally {
      executor.shutdownNow();
    }
  }
}
