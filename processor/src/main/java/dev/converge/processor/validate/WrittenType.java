package dev.converge.processor.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A type as its text shows it, {@code java.util.concurrent.CompletableFuture<Either<T>>}: a
 * possibly qualified name and the text of each type argument. Eclipse's compiler shows a return
 * type whose argument does not exist yet as one error type for the whole return type, whose text is
 * all there is to read; this splits that text.
 *
 * @param name the name before the type arguments, as written, e.g. {@code Either}
 * @param arguments the text of each top-level type argument, trimmed; empty for a plain name
 */
record WrittenType(String name, List<String> arguments) {

  /** Copies the arguments. */
  WrittenType {
    arguments = List.copyOf(arguments);
  }

  /**
   * Splits {@code text}; empty if it is not a dotted name optionally followed by one balanced list
   * of type arguments (javac's {@code <any>}, an array, a wildcard).
   */
  static Optional<WrittenType> parse(String text) {
    String trimmed = text.strip();
    int open = trimmed.indexOf('<');
    String name = (open < 0 ? trimmed : trimmed.substring(0, open)).strip();
    if (!isDottedName(name)) {
      return Optional.empty();
    }
    if (open < 0) {
      return Optional.of(new WrittenType(name, List.of()));
    }
    if (!trimmed.endsWith(">")) {
      return Optional.empty();
    }
    List<String> arguments = new ArrayList<>();
    int depth = 0;
    int start = open + 1;
    for (int i = open + 1; i < trimmed.length() - 1; i++) {
      char c = trimmed.charAt(i);
      if (c == '<') {
        depth++;
      } else if (c == '>') {
        if (--depth < 0) {
          return Optional.empty();
        }
      } else if (c == ',' && depth == 0) {
        arguments.add(trimmed.substring(start, i).strip());
        start = i + 1;
      }
    }
    if (depth != 0) {
      return Optional.empty();
    }
    arguments.add(trimmed.substring(start, trimmed.length() - 1).strip());
    if (arguments.stream().anyMatch(String::isEmpty)) {
      return Optional.empty();
    }
    return Optional.of(new WrittenType(name, arguments));
  }

  /** The name after its last dot: {@code CompletableFuture}. */
  String simpleName() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static boolean isDottedName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (!Names.isTypeName(part)) {
        return false;
      }
    }
    return true;
  }
}
