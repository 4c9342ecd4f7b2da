package dev.converge.examples;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reads a command line into one of the examples' picocli options classes ({@link ServiceOptions},
 * {@link OrderTopicWriter}'s): {@code --name value} or {@code --name=value}, every flag optional, a
 * flag given twice takes its last value. Each mistake is one {@link UsageException} naming the flag
 * and what it accepts.
 *
 * <p>picocli converts the values to their fields' types with the converters registered here (their
 * messages say what a flag accepts), then {@link FlagChecks.Checked#check} checks the ranges.
 */
final class OptionsParser {

  private OptionsParser() {}

  /**
   * Reads {@code args} into {@code options}; {@code --help} or {@code --version} prints its text
   * instead.
   *
   * @param options a {@code @Command} class with its defaults, filled in here
   * @param out where {@code --help} and {@code --version} print
   * @param args the arguments, as given to {@code main}
   * @param <T> the options' class
   * @return {@code options}, or empty if the help or the version was printed
   * @throws UsageException naming the first flag that is unknown, lacks a value or has a bad one
   */
  static <T extends FlagChecks.Checked> Optional<T> parse(
      T options, PrintStream out, String... args) throws UsageException {
    CommandLine commandLine = commandLine(options);
    PrintWriter writer = new PrintWriter(out, true);
    commandLine.setOut(writer);
    try {
      ParseResult result = commandLine.parseArgs(args);
      if (CommandLine.printHelpIfRequested(result)) {
        writer.flush();
        return Optional.empty();
      }
      options.check(new FlagChecks(commandLine));
      return Optional.of(options);
    } catch (ParameterException e) {
      throw new UsageException(message(e));
    }
  }

  /**
   * Reads the service's flags as composed by a program (the tests), not typed by a user.
   *
   * @param args the flags
   * @return the options, defaults where a flag is absent; no environment is read, so the password
   *     is the {@code --jdbc-password} or {@code --jdbc-password-file} one, or empty
   * @throws UsageException naming the first bad flag, or if {@code --help} or {@code --version},
   *     which only a user asks for, is among them
   */
  static ServiceOptions parse(String... args) throws UsageException {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    Function<String, String> noEnvironment = name -> null;
    return parse(noEnvironment, nowhere, args);
  }

  /**
   * Reads the service's flags as composed by a program, and finds the database password as {@link
   * OrderService} does.
   *
   * @param environment the environment variables by name (null for an unset one)
   * @param warnings where the warning about {@code --jdbc-password} goes
   * @param args the flags
   * @return the options, defaults where a flag is absent, the password read
   * @throws UsageException naming the first bad flag, or if {@code --help} or {@code --version}
   *     is among them
   */
  static ServiceOptions parse(
      Function<String, String> environment, PrintStream warnings, String... args)
      throws UsageException {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    return parse(new ServiceOptions(), nowhere, args)
        .orElseThrow(
            () ->
                new UsageException(
                    "--help and --version print text only for OrderService.run, not here"))
        .readPassword(environment, warnings);
  }

  private static CommandLine commandLine(Object options) {
    CommandLine commandLine = new CommandLine(options);
    // One layout for the examples' commands: the flags in the order their fields are declared.
    commandLine
        .getCommandSpec()
        .usageMessage()
        .width(100)
        .customSynopsis("${COMMAND-NAME} [FLAGS]")
        .sortOptions(false)
        .descriptionHeading("%n")
        .optionListHeading("%nFlags:%n");
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
    commandLine.registerConverter(Duration.class, new DurationConverter());
    commandLine.registerConverter(Integer.class, OptionsParser::wholeInt);
    commandLine.registerConverter(Integer.TYPE, OptionsParser::wholeInt);
    commandLine.registerConverter(Long.class, OptionsParser::wholeLong);
    commandLine.registerConverter(Long.TYPE, OptionsParser::wholeLong);
    commandLine.registerConverter(Double.class, OptionsParser::number);
    commandLine.registerConverter(Double.TYPE, OptionsParser::number);
    return commandLine;
  }

  /** One line per mistake, in the service's words rather than picocli's. */
  private static String message(ParameterException e) {
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      return first.startsWith("-")
          ? "unknown flag '" + name + "'; run with --help to list the flags"
          : "unexpected argument '" + first + "'; flags come as --name value";
    }
    if (e instanceof MissingParameterException missing
        && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return option.longestName() + " needs a value (" + option.paramLabel() + ")";
    }
    if (e.getArgSpec() instanceof OptionSpec option) {
      if (option.type().isEnum()) {
        return option.longestName()
            + " must be "
            + oneOf(option.type())
            + ", was '"
            + e.getValue()
            + "'";
      }
      if (Map.class.isAssignableFrom(option.type())) {
        return option.longestName()
            + " must be "
            + option.paramLabel()
            + ", was '"
            + e.getValue()
            + "'";
      }
      if (e.getCause() instanceof TypeConversionException conversion) {
        return option.longestName() + " " + conversion.getMessage();
      }
    }
    return e.getMessage();
  }

  /** "generator or kafka": the constants as they are typed. */
  private static String oneOf(Class<?> enumType) {
    List<String> names =
        Arrays.stream(enumType.getEnumConstants())
            .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
            .toList();
    int last = names.size() - 1;
    return last == 0
        ? names.get(0)
        : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }

  private static long wholeLong(String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be a whole number, was '" + value + "'");
    }
  }

  private static int wholeInt(String value) {
    long parsed = wholeLong(value);
    if (parsed > Integer.MAX_VALUE) {
      throw new TypeConversionException("must be at most " + Integer.MAX_VALUE + ", was " + value);
    }
    if (parsed < Integer.MIN_VALUE) {
      throw new TypeConversionException("must be at least " + Integer.MIN_VALUE + ", was " + value);
    }
    return (int) parsed;
  }

  private static double number(String value) {
    try {
      double parsed = Double.parseDouble(value);
      if (Double.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Said below, as for infinity and NaN.
    }
    throw new TypeConversionException("must be a number, was '" + value + "'");
  }
}
