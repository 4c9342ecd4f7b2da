package dev.converge.processor.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The layout fixes applied to JavaPoet's output, and the article chosen for a type name. */
class SourceLayoutTest {

  @Test
  void aThrowsClauseBrokenAfterThrowsMovesToItsOwnLine() {
    String javaPoet =
        String.join(
            "\n",
            "  public R r(Callable<String> first, Callable<String> second, Callable<String> third) throws",
            "      InterruptedException, IOException {",
            "    return null;",
            "  }");
    assertEquals(
        String.join(
            "\n",
            "  public R r(Callable<String> first, Callable<String> second, Callable<String> third)",
            "      throws InterruptedException, IOException {",
            "    return null;",
            "  }"),
        SourceLayout.apply(javaPoet));
  }

  @Test
  void aThrowsClauseTooLongForOneLineWrapsBetweenExceptions() {
    String javaPoet =
        String.join(
            "\n",
            "  public R r(Callable<String> a, Callable<String> b) throws InterruptedException,",
            "      java.io.IOException, java.util.concurrent.TimeoutException, java.sql.SQLException,",
            "      java.net.URISyntaxException {",
            "  }");
    assertEquals(
        String.join(
            "\n",
            "  public R r(Callable<String> a, Callable<String> b)",
            "      throws InterruptedException, java.io.IOException,"
                + " java.util.concurrent.TimeoutException,",
            "          java.sql.SQLException, java.net.URISyntaxException {",
            "  }"),
        SourceLayout.apply(javaPoet));
  }

  @Test
  void clausesThatFitAndJavadocAreLeftAlone() {
    String source =
        String.join(
            "\n",
            "  /**",
            "   * Waits (and, when interrupted) throws",
            "   * {@code InterruptedException}.",
            "   */",
            "  public R r(Callable<String> a) throws InterruptedException {",
            "  }");
    assertEquals(source, SourceLayout.apply(source));
  }

  @Test
  void anEmptyRecordBodyIsWrittenCompactly() {
    assertEquals(
        "record Pair(String a, String b) {}\n",
        SourceLayout.apply("record Pair(String a, String b) {\n}\n"));
  }

  @Test
  void theArticleFollowsTheSoundOfTheName() {
    assertEquals("an", Javadocs.article("Enrichment"));
    assertEquals("an", Javadocs.article("Outer.Lookups"));
    assertEquals("an", Javadocs.article("Update"));
    assertEquals("a", Javadocs.article("Lookups"));
    assertEquals("a", Javadocs.article("UserLookups"));
    assertEquals("a", Javadocs.article("UnitPrices"));
    assertEquals("a", Javadocs.article("EuroRates"));
    assertEquals("a", Javadocs.article("OneShot"));
  }
}
