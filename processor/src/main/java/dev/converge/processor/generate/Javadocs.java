package dev.converge.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.converge.processor.model.Branch;
import dev.converge.processor.model.CombinatorMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Javadoc for generated code: shared fragments, and line wrapping so that generated files read like
 * hand-written ones (JavaPoet does not wrap Javadoc).
 */
final class Javadocs {
  /** Text width of a Javadoc line, leaving room for the indentation of nested members. */
  private static final int WIDTH = 90;

  private Javadocs() {}

  /**
   * {@code {@link Outer.Lookups#user}}: names the originating method. Generated types live in the
   * annotated type's package, so its simple names resolve without an import.
   */
  static String link(ClassName annotatedType, CombinatorMethod method) {
    return "{@link " + String.join(".", annotatedType.simpleNames()) + "#" + method.name() + "}";
  }

  /**
   * The indefinite article for a type name read aloud: "an" before a vowel sound
   * ({@code an Enrichment}, {@code an Order}), "a" otherwise ({@code a Lookups}), including the
   * vowel letters that sound like a consonant ({@code a User}, {@code a Unit}, {@code a Euro},
   * {@code a OneShot}).
   */
  static String article(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.isEmpty() || "aeiou".indexOf(lower.charAt(0)) < 0) {
      return "a";
    }
    for (String consonantSound : List.of("us", "uni", "uti", "ure", "eu", "one", "once")) {
      if (lower.startsWith(consonantSound)) {
        return "a";
      }
    }
    return "an";
  }

  /** {@code @Race(FIRST_COMPLETED)}: the annotation with its mode, in code font. */
  static String annotation(CombinatorMethod method) {
    return "{@code @" + method.rule().annotation() + "(" + method.rule().name() + ")}";
  }

  /** "{@code a}, {@code b} and {@code c}". */
  static String parameterList(List<Branch> branches) {
    List<String> names =
        branches.stream()
            .map(branch -> "{@code " + branch.name() + "}")
            .collect(Collectors.toList());
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " and "
        + names.get(names.size() - 1);
  }

  /**
   * Wraps every line of {@code text} at {@link #WIDTH} characters, never inside an inline tag such
   * as <code>{&#64;code @Race(FIRST_COMPLETED)}</code> (a line starting with {@code @} would read as
   * a block tag); continuation lines of a block tag ({@code @param}, {@code @return}) are indented
   * by four spaces.
   */
  static CodeBlock wrap(CharSequence text) {
    StringBuilder wrapped = new StringBuilder();
    for (String line : text.toString().split("\n", -1)) {
      String continuation = line.startsWith("@") ? "    " : "";
      int lineStart = wrapped.length();
      for (String word : words(line)) {
        int lineLength = wrapped.length() - lineStart;
        if (lineLength > 0 && lineLength + 1 + word.length() > WIDTH) {
          wrapped.append('\n');
          lineStart = wrapped.length();
          wrapped.append(continuation).append(word);
        } else {
          wrapped.append(lineLength > 0 ? " " : "").append(word);
        }
      }
      wrapped.append('\n');
    }
    // split(…, -1) keeps the empty string after the final newline; drop the line it added.
    wrapped.setLength(wrapped.length() - 1);
    return CodeBlock.of("$L", wrapped);
  }

  /** Splits a line at spaces, keeping each inline tag <code>{&#64;…}</code> in one piece. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ' && depth == 0) {
        words.add(word.toString());
        word.setLength(0);
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
      }
      word.append(c);
    }
    words.add(word.toString());
    return words;
  }
}
