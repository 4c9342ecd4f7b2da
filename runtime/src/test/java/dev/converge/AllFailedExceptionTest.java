package dev.converge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The exception of a FIRST_SUCCESS race in which every branch failed, built by hand as well. */
class AllFailedExceptionTest {

  @Test
  void withoutFailuresItIsBuiltWithAMessageAndNoSuppressed() {
    AllFailedException exception = new AllFailedException();

    assertEquals("every branch of the race failed", exception.getMessage());
    assertEquals(0, exception.getSuppressed().length);
    assertNull(exception.getCause());
  }

  @Test
  void failuresAreSuppressedInParameterOrderAndTheFirstIsNamed() {
    IOException first = new IOException("cache down");
    IllegalStateException second = new IllegalStateException("db down");

    AllFailedException exception = new AllFailedException(first, second);

    assertArrayEquals(new Throwable[] {first, second}, exception.getSuppressed());
    assertTrue(
        exception.getMessage().startsWith("all 2 branches of the race failed"),
        exception.getMessage());
    assertTrue(exception.getMessage().endsWith(first.toString()), exception.getMessage());
  }

  @Test
  void nullFailuresAreRejectedWithANullPointerException() {
    assertThrows(NullPointerException.class, () -> new AllFailedException((Throwable[]) null));
    assertThrows(
        NullPointerException.class, () -> new AllFailedException(new IOException("x"), null));
  }
}
