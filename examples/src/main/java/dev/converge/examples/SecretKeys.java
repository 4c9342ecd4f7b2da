package dev.converge.examples;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which settings are secrets, and how the service shows settings without them. One rule, used for
 * the {@code --kafka-property} settings and for the parameters of a JDBC URL alike: a setting is a
 * secret if its name (in any case)
 *
 * <ul>
 *   <li>contains {@code password}, {@code passwd}, {@code passphrase} or {@code secret}
 *       ({@code ssl.truststore.password}, {@code sasl.oauthbearer.client.credentials.client.secret},
 *       a URL's {@code password=});
 *   <li>ends in {@code key}, {@code token} or {@code pwd} after its last dot ({@code
 *       ssl.keystore.key}, {@code bearer.auth.token}, a URL's {@code pwd=});
 *   <li>or is one of {@link #NAMED}, alone or after a prefix such as {@code
 *       listener.name.sasl_ssl.plain.}: {@code sasl.jaas.config}, which holds the SASL user's
 *       password, {@code basic.auth.user.info}, and the PEM certificates Kafka hides as well.
 * </ul>
 *
 * <p>It covers every setting that Kafka's consumer and producer declare as a password (Kafka logs
 * those as {@code [hidden]}), and the usual names of other clients' secrets. A secret's value is
 * shown as {@link #MASK}; its name still is, so that a run says which settings it was given.
 */
final class SecretKeys {

  /** What is shown instead of a secret value: the same word as Kafka's own logs. */
  static final String MASK = "[hidden]";

  /** Secrets whose names the patterns do not catch; also secrets after a prefix ending in a dot. */
  static final Set<String> NAMED =
      Set.of(
          "sasl.jaas.config",
          "basic.auth.user.info",
          "ssl.keystore.certificate.chain",
          "ssl.truststore.certificates");

  private static final Pattern CONTAINS = Pattern.compile("password|passwd|passphrase|secret");

  private static final Set<String> LAST_PARTS = Set.of("key", "token", "pwd");

  /** {@code ?name=value}, {@code &name=value} or {@code ;name=value} in a JDBC URL. */
  private static final Pattern URL_PARAMETER = Pattern.compile("([?&;])([^=&;?]+)=([^&;]*)");

  /** The password of {@code //user:password@host}. */
  private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@?;]*:)([^/@?;]*)(@)");

  private SecretKeys() {}

  /**
   * Tells whether a setting is a secret.
   *
   * @param name the setting's name, e.g. {@code ssl.key.password}
   * @return true if its value must not be shown
   */
  static boolean isSecret(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    String last = lower.substring(lower.lastIndexOf('.') + 1);
    return CONTAINS.matcher(lower).find()
        || LAST_PARTS.contains(last)
        || NAMED.stream().anyMatch(named -> lower.equals(named) || lower.endsWith("." + named));
  }

  /**
   * Shows settings as {@code name=value, name=[hidden]}, sorted by name.
   *
   * @param settings the settings, e.g. the {@code --kafka-property} ones
   * @return one line, secrets masked; empty for no settings
   */
  static String describe(Map<String, String> settings) {
    return new TreeMap<>(settings)
        .entrySet().stream()
            .map(setting -> setting.getKey() + "=" + shown(setting.getKey(), setting.getValue()))
            .collect(Collectors.joining(", "));
  }

  /**
   * Shows a JDBC URL with its secrets masked: parameters such as {@code ?password=} or H2's {@code
   * ;PASSWORD=}, and the password of {@code //user:password@host}.
   *
   * @param url the URL as given
   * @return the URL with every secret value replaced by {@link #MASK}
   */
  static String maskJdbcUrl(String url) {
    Matcher userInfo = URL_USER_INFO.matcher(url);
    String masked =
        userInfo.find() && !userInfo.group(2).isEmpty()
            ? url.substring(0, userInfo.start(2)) + MASK + url.substring(userInfo.end(2))
            : url;
    Matcher parameter = URL_PARAMETER.matcher(masked);
    StringBuilder result = new StringBuilder();
    while (parameter.find()) {
      String replacement =
          parameter.group(1)
              + parameter.group(2)
              + "="
              + shown(parameter.group(2), parameter.group(3));
      parameter.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    parameter.appendTail(result);
    return result.toString();
  }

  /**
   * The secret values a JDBC URL carries, so that they can be scrubbed from a driver's messages.
   *
   * @param url the URL as given
   * @return the values of its secret parameters and the password of its user info
   */
  static Set<String> secretsOfJdbcUrl(String url) {
    Set<String> secrets = new HashSet<>();
    Matcher userInfo = URL_USER_INFO.matcher(url);
    if (userInfo.find()) {
      secrets.add(userInfo.group(2));
    }
    Matcher parameter = URL_PARAMETER.matcher(url);
    while (parameter.find()) {
      if (isSecret(parameter.group(2))) {
        secrets.add(parameter.group(3));
      }
    }
    secrets.remove("");
    return Set.copyOf(secrets);
  }

  private static String shown(String name, String value) {
    return isSecret(name) ? MASK : value;
  }
}
