package dev.converge.examples;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads every {@link Duration} flag: a number with {@code ms}, {@code s} or {@code m}
 * ({@code 250ms}, {@code 1.5s}, {@code 2m}), or {@code 0}. picocli's own converter wants ISO-8601
 * ({@code PT0.25S}), which nobody types on a command line.
 *
 * <p>A day at most: a longer linger, deadline or run is a typing mistake, and the bound keeps the
 * nanoseconds of the result far from overflowing.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  private static final double MAX_MILLIS = Duration.ofDays(1).toMillis();

  @Override
  public Duration convert(String value) {
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      throw new TypeConversionException(
          "must be a duration such as 250ms, 10s or 2m, was '" + value + "'");
    }
    double millisPerUnit =
        switch (matcher.group(2)) {
          case "ms" -> 1;
          case "s" -> 1_000;
          default -> 60_000;
        };
    double millis = Double.parseDouble(matcher.group(1)) * millisPerUnit;
    if (millis > MAX_MILLIS) {
      throw new TypeConversionException("must be at most a day, was " + value);
    }
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }
}
