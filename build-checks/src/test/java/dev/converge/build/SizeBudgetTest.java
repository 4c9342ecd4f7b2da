package dev.converge.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The size budget on small sample sources, and on a small tree of modules. */
class SizeBudgetTest {

  @TempDir Path directory;

  @Test
  void aFileOfFiveHundredLinesKeepsTheBudgetAndOneOfFiveHundredAndOneDoesNot() {
    assertEquals(List.of(), offences(classOfLines(500)));
    assertEquals(
        List.of("Sample.java:1: 501 lines, over the budget of 500 for a main-code file"),
        offences(classOfLines(501)));
  }

  @Test
  void aMethodOfSixtyLinesKeepsTheBudgetAndOneOfSixtyOneDoesNot() {
    String source =
        "class Sample {\n"
            + "  @Override\n"
            + "  @SuppressWarnings(\"unused\")\n"
            + method("  public String toString() {", 60, "return \"\";")
            + "\n"
            + method("  void big(int a,\n      String b) {", 61, "")
            + "}\n";

    assertEquals(
        List.of(
            "Sample.java:65: Sample.big(int, String) is 61 lines, over the budget of"
                + " 60 for a method, and no comment above it says why (\"long because ...\")"),
        offences(source));
  }

  @Test
  void bracesInStringsCharactersTextBlocksAndCommentsNeitherEndNorOpenAMethod() {
    String body =
        String.join(
            "\n",
            "String a = \"}\"; String b = \"\\\"}\"; char c = '}'; char d = '\\'';",
            "// }",
            "/* } { */",
            "String e = \"\"\"",
            "    }",
            "    \\\"\"\"}",
            "    \"\"\";");
    String source =
        "class Sample {\n"
            + method("  void big() {", 61, body)
            + method("  void small() {", 3, "char open = '{';")
            + "}\n";

    List<String> offences = offences(source);

    assertEquals(1, offences.size(), offences.toString());
    assertTrue(
        offences.get(0).startsWith("Sample.java:2: Sample.big() is 61 lines"), offences.get(0));
  }

  @Test
  void lambdasAndAnonymousAndLocalClassesCountTowardTheMethodThatHoldsThem() {
    String body =
        String.join(
            "\n",
            "Runnable r = () -> {",
            "  System.out.println();",
            "};",
            "Object o = new Object() {",
            method("  @Override public String toString() {", 40, "return \"\";"),
            "};",
            "class Local {",
            method("  void inner() {", 5, ""),
            "}");
    String source = "class Sample {\n" + method("  void big() {", 61, body) + "}\n";

    List<String> offences = offences(source);

    assertEquals(1, offences.size(), offences.toString());
    assertTrue(
        offences.get(0).startsWith("Sample.java:2: Sample.big() is 61 lines"), offences.get(0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "  /**\n   * Reads a batch.\n   *\n   * <p>Long because the whole protocol is in one place.\n"
            + "   */\n",
        "  // Long because splitting the state machine would hide its transitions.\n",
        "  /* It is long because every case is one line of the table. */\n",
        "  @Override\n  // long because: the table of cases.\n  @Deprecated\n"
      })
  void aCommentAboveTheMethodOrItsJavadocSayingWhyLetsItBeLong(String above) {
    String source =
        "class Sample {\n"
            + method("  void before() {", 3, "")
            + above
            + method("  public String toString() {", 80, "return \"\";")
            + "}\n";

    assertEquals(List.of(), offences(source));
  }

  @Test
  void aCommentInsideTheMethodOrAboveAnotherOneDoesNotCount() {
    String source =
        "class Sample {\n"
            + "  // Long because it must be.\n"
            + method("  void first() {", 3, "")
            + method("  void big() {", 61, "// Long because of the table.")
            + "}\n";

    List<String> offences = offences(source);

    assertEquals(1, offences.size(), offences.toString());
    assertTrue(
        offences.get(0).startsWith("Sample.java:6: Sample.big() is 61 lines"), offences.get(0));
  }

  @Test
  void theWordsInAStringAboveTheMethodAreNoComment() {
    String source =
        "class Sample {\n"
            + "  @SuppressWarnings(\"// long because /* long because */\")\n"
            + method("  void big() {", 61, "")
            + "}\n";

    List<String> offences = offences(source);

    assertEquals(1, offences.size(), offences.toString());
    assertTrue(
        offences.get(0).startsWith("Sample.java:3: Sample.big() is 61 lines"), offences.get(0));
  }

  @Test
  void methodsOfEveryKindOfTypeOutsideMethodsAreMeasured() {
    String source =
        "import java.util.function.Supplier;\n"
            + "class Sample {\n"
            + "  static class Nested {\n"
            + method("    void big() {", 61, "")
            + "  }\n"
            + "  enum Kind {\n"
            + "    ONE {\n"
            + method("      @Override void big() {", 61, "")
            + "    };\n"
            + "    abstract void big();\n"
            + "  }\n"
            + "  record Point(int x, int y) {\n"
            + method("    Point {", 61, "")
            + "  }\n"
            + "  interface Shape {\n"
            + method("    default void big() {", 61, "")
            + "  }\n"
            + "  private final Supplier<String> field = new Supplier<>() {\n"
            + method("    @Override public String get() {", 61, "return \"\";")
            + "  };\n"
            + method("  Sample(String name) {", 61, "")
            + "}\n";

    List<String> named =
        offences(source).stream()
            .map(offence -> offence.substring(0, offence.indexOf(" is ")))
            .collect(Collectors.toList());

    assertEquals(
        List.of(
            "Sample.java:4: Sample.Nested.big()",
            "Sample.java:68: Sample.Kind.<anonymous>.big()",
            "Sample.java:133: constructor Sample.Point(int, int)",
            "Sample.java:196: Sample.Shape.big()",
            "Sample.java:259: Sample.<anonymous>.get()",
            "Sample.java:321: constructor Sample(String)"),
        named);
  }

  @Test
  void onlyTheMainCodeOfEachModuleIsChecked() throws IOException {
    write("alpha/src/main/java/p/Big.java", classOfLines(501));
    write("alpha/src/main/java16/p/Big16.java", classOfLines(502));
    write("alpha/src/main/java99/p/Big99.java", "class Big99 { a future syntax }\n");
    write("alpha/src/main/java/p/Small.java", classOfLines(20));
    write("alpha/src/test/java/p/BigTest.java", classOfLines(600));
    write("alpha/target/generated-sources/p/Generated.java", classOfLines(600));
    write(
        "beta/src/main/java/q/Long.java",
        "class Long {\n" + method("  void big() {", 61, "") + "}\n");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        SizeBudget.run(
            new String[] {"--enforce", directory.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals(
        List.of(
            "size budget: skipped alpha/src/main/java99: Java 99 code, and this is Java "
                + Runtime.version().feature(),
            "alpha/src/main/java/p/Big.java:1: 501 lines, over the budget of 500 for a main-code file",
            "alpha/src/main/java16/p/Big16.java:1: 502 lines, over the budget of 500 for a main-code"
                + " file",
            "beta/src/main/java/q/Long.java:2: Long.big() is 61 lines, over the budget of 60 for a"
                + " method, and no comment above it says why (\"long because ...\")",
            "size budget: 4 main-code files checked, 3 offences"),
        out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList()));
    assertEquals(1, status, "enforced: the build fails");
  }

  @Test
  void unenforcedTheOffencesArePrintedAndTheBuildGoesOn() throws IOException {
    write("alpha/src/main/java/p/Big.java", classOfLines(501));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status =
        SizeBudget.run(
            new String[] {"--enforce=false", directory.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals(0, status);
    assertEquals(
        List.of(
            "alpha/src/main/java/p/Big.java:1: 501 lines, over the budget of 500 for a main-code file",
            "size budget: 1 main-code files checked, 1 offences (not enforced: --enforce, in Maven"
                + " -DsizeBudget.enforce=true, fails on them)"),
        out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList()));
  }

  @Test
  void aTreeWithinTheBudgetPassesEnforced() throws IOException {
    write("alpha/src/main/java/p/Small.java", classOfLines(500));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status =
        SizeBudget.run(
            new String[] {"--enforce", directory.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals(0, status);
    assertEquals(
        "size budget: 1 main-code files checked, 0 offences" + System.lineSeparator(),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aSourceThatDoesNotParseIsNamed() {
    IllegalArgumentException failure =
        assertThrows(
            IllegalArgumentException.class,
            () -> offences("class Sample {\n  void broken( {\n}\n"));

    assertTrue(failure.getMessage().startsWith("cannot parse "), failure.getMessage());
    assertTrue(failure.getMessage().contains("Sample.java:2: "), failure.getMessage());
  }

  @Test
  void wrongArgumentsAreAUsageError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

    assertEquals(2, SizeBudget.run(new String[] {}, print));
    assertEquals(2, SizeBudget.run(new String[] {"--strict", directory.toString()}, print));
    assertEquals(2, SizeBudget.run(new String[] {directory.resolve("missing").toString()}, print));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: SizeBudget"));
  }

  /** The offences of one source file, {@code Sample.java}, without the directory. */
  private List<String> offences(String source) {
    Path file = directory.resolve("Sample.java");
    return SizeBudget.check(List.of(new SizeBudget.Source(file, source))).stream()
        .map(offence -> offence.describe(directory))
        .collect(Collectors.toList());
  }

  /** A class whose file has exactly {@code lines} lines. */
  private static String classOfLines(int lines) {
    StringBuilder source = new StringBuilder("class Sample {\n");
    for (int i = 2; i < lines; i++) {
      source.append("  // ").append(i).append('\n');
    }
    return source.append("}\n").toString();
  }

  /**
   * A method of exactly {@code lines} lines from its header to its closing brace: the header (any
   * number of lines), {@code body} (any number), then comment lines up to the length.
   */
  private static String method(String header, int lines, String body) {
    StringBuilder method = new StringBuilder(header).append('\n');
    int used = (int) header.lines().count() + 1;
    if (!body.isEmpty()) {
      method.append(body).append('\n');
      used += (int) body.lines().count();
    }
    for (int i = used; i < lines; i++) {
      method.append("    // line ").append(i).append('\n');
    }
    return method.append("  }\n").toString();
  }

  private void write(String name, String source) throws IOException {
    Path file = directory.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source, StandardCharsets.UTF_8);
  }
}
