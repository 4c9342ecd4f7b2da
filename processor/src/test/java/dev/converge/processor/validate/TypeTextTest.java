package dev.converge.processor.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading a type from the text a compiler gives for an error type. */
class TypeTextTest {
  private final PlannedTypes planned = new PlannedTypes();

  private String convert(String text) {
    return TypeText.parse(text)
        .orElseThrow()
        .toTypeName(planned, "shop", Set.of("T"))
        .map(Object::toString)
        .orElse("unresolved");
  }

  @Test
  void readsNestedArgumentsWildcardsAndArrays() {
    planned.claim("shop", "UserSource", null, "a method");
    assertEquals(
        "java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<"
            + "java.util.List<shop.UserSource>>>",
        convert(
            "java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<"
                + "java.util.List<UserSource>>>"));
    assertEquals(
        "java.util.concurrent.Callable<int[][]>",
        convert("java.util.concurrent.Callable<int[][]>"));
    assertEquals(
        "java.util.concurrent.CompletionStage<? super T>",
        convert("java.util.concurrent.CompletionStage<? super T>"));
    assertEquals(
        "java.util.Map<java.lang.String, ?>", convert("java.util.Map<java.lang.String,?>"));
  }

  @Test
  void anUnqualifiedNameThatIsNotPlannedStaysUnresolved() {
    assertEquals("unresolved", convert("java.util.concurrent.CompletionStage<Missing>"));
  }

  @Test
  void writesTheTypeBackInOneSpacing() {
    assertEquals("Pair<B, A>", TypeText.parse("Pair<B,A>").orElseThrow().written());
    assertEquals(
        "Supplier<? extends Stage<X[]>>",
        TypeText.parse("Supplier<?extends Stage<X[]>>").orElseThrow().written());
  }

  @Test
  void javacsAnyAndMalformedTextAreNoType() {
    assertEquals(Optional.empty(), TypeText.parse("<any>"));
    assertEquals(Optional.empty(), TypeText.parse("List<String"));
    assertEquals(Optional.empty(), TypeText.parse("List<String>>"));
    assertTrue(TypeText.parse("Fastest").isPresent());
  }
}
