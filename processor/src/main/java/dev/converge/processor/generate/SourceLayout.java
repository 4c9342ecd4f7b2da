package dev.converge.processor.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lays out two things in JavaPoet's output the way a person would write them: a {@code throws}
 * clause that does not fit on the signature's line starts a continuation line of its own (JavaPoet
 * breaks after {@code throws}), and an empty record body is written {@code {}}.
 */
final class SourceLayout {
  /** JavaPoet's line width, which the rewrapped clause keeps to. */
  private static final int WIDTH = 100;

  /** A top-level type with nothing in its body: only a record can be one here. */
  private static final Pattern EMPTY_BODY = Pattern.compile("\\) \\{\n}\n");

  private SourceLayout() {}

  /** Returns {@code source} with its throws clauses and empty bodies laid out. */
  static String apply(String source) {
    String compact = EMPTY_BODY.matcher(source).replaceAll(Matcher.quoteReplacement(") {}\n"));
    List<String> lines = new ArrayList<>(List.of(compact.split("\n", -1)));
    for (int i = 0; i < lines.size() - 1; i++) {
      String line = lines.get(i);
      if (line.stripLeading().startsWith("*") || line.stripLeading().startsWith("/")) {
        continue;
      }
      if (!line.endsWith(") throws")
          && !(line.contains(") throws ") && !line.endsWith("{") && !line.endsWith(";"))) {
        continue;
      }
      i = rewrap(lines, i);
    }
    return String.join("\n", lines);
  }

  /**
   * Rewraps the clause starting on line {@code first} and running to the line ending with
   * {@code {} or {@code ;}; returns the index of the clause's last line.
   */
  private static int rewrap(List<String> lines, int first) {
    int last = first;
    while (last < lines.size() - 1
        && !lines.get(last).endsWith("{")
        && !lines.get(last).endsWith(";")) {
      last++;
    }
    String continuation =
        lines
            .get(first + 1)
            .substring(
                0, lines.get(first + 1).length() - lines.get(first + 1).stripLeading().length());
    String head = lines.get(first);
    int throwsAt = head.indexOf(") throws") + 1;
    StringBuilder clause = new StringBuilder(head.substring(throwsAt).strip());
    for (int i = first + 1; i <= last; i++) {
      clause.append(' ').append(lines.get(i).strip());
    }
    String terminator = clause.substring(clause.length() - 1).equals("{") ? " {" : ";";
    String body = clause.substring(0, clause.length() - terminator.length()).strip();

    List<String> wrapped = new ArrayList<>();
    wrapped.add(head.substring(0, throwsAt));
    StringBuilder line = new StringBuilder(continuation);
    String[] parts = body.split(" ");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i] + (i == parts.length - 1 ? terminator : "");
      if (line.length() > continuation.length() && line.length() + 1 + part.length() > WIDTH) {
        wrapped.add(line.toString());
        line = new StringBuilder(continuation).append("    ");
      } else if (line.length() > continuation.length()) {
        line.append(' ');
      }
      line.append(part);
    }
    wrapped.add(line.toString());
    for (int i = last; i >= first; i--) {
      lines.remove(i);
    }
    lines.addAll(first, wrapped);
    return first + wrapped.size() - 1;
  }
}
