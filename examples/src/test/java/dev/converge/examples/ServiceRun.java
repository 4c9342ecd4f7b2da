package dev.converge.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One in-process run of {@link OrderService#run}, with what it printed.
 *
 * @param exitCode what {@code run} returned
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record ServiceRun(int exitCode, String out, String err) {

  /**
   * Runs the service to the end.
   *
   * @param args its flags
   * @return the exit code and output
   */
  static ServiceRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = OrderService.run(args, outStream, errStream);
    }
    return new ServiceRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Reads a count from the final report.
   *
   * @param label the report line's label, e.g. "orders produced"
   * @return the number after it
   * @throws AssertionError if the report has no such line
   */
  long reported(String label) {
    Matcher matcher =
        Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+([\\d,]+)").matcher(out);
    if (!matcher.find()) {
      throw new AssertionError("no '" + label + "' line in the report:\n" + out);
    }
    return Long.parseLong(matcher.group(1).replace(",", ""));
  }
}
