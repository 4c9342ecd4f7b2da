package dev.converge.processor.validate;

import java.util.Set;
import javax.lang.model.SourceVersion;

/** The naming rules of generated types and variants. */
final class Names {
  /** Identifiers that javac accepts elsewhere but not as the name of a type. */
  private static final Set<String> RESTRICTED_TYPE_NAMES =
      Set.of("var", "yield", "record", "sealed", "permits");

  private Names() {}

  /**
   * Tells whether {@code name} can name a top-level type: a Java identifier, not a keyword and not a
   * restricted type name.
   */
  static boolean isTypeName(CharSequence name) {
    String text = name.toString();
    return SourceVersion.isIdentifier(text)
        && !SourceVersion.isKeyword(text)
        && !RESTRICTED_TYPE_NAMES.contains(text);
  }

  /** Returns {@code name} with its first code point upper-cased: {@code cache} gives {@code Cache}. */
  static String capitalize(CharSequence name) {
    String text = name.toString();
    if (text.isEmpty()) {
      return text;
    }
    int first = text.codePointAt(0);
    return new StringBuilder(text.length())
        .appendCodePoint(Character.toUpperCase(first))
        .append(text, Character.charCount(first), text.length())
        .toString();
  }

  /** The name of the implementation class for a type with the given nested simple names. */
  static String implementationName(Iterable<String> simpleNames) {
    return "Converge" + String.join("_", simpleNames);
  }
}
