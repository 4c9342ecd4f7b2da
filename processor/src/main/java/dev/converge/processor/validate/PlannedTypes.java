package dev.converge.processor.validate;

import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.Element;

/**
 * The types this round will generate, by package and simple name, each with the element that
 * claimed it first. A result type the user writes does not exist yet (javac sees an error type);
 * it is resolved by name against this set, so nothing waits for a later round that would never
 * bring it.
 */
public final class PlannedTypes {

  /**
   * Who plans to generate a type.
   *
   * @param owner the method whose result it is, or the annotated type it implements
   * @param description the owner in words, for messages, e.g. "@Race method 'user' of Lookups"
   */
  public record Claim(Element owner, String description) {}

  private final Map<String, Map<String, Claim>> byPackage = new HashMap<>();

  /**
   * Claims a name for {@code owner} unless it is already claimed.
   *
   * @param packageName the package the type is generated in
   * @param simpleName the type's simple name
   * @param owner the claiming method or type
   * @param description the owner in words
   * @return {@code true} if the name was free and is now claimed by {@code owner}
   */
  public boolean claim(String packageName, String simpleName, Element owner, String description) {
    return byPackage
            .computeIfAbsent(packageName, unused -> new HashMap<>())
            .putIfAbsent(simpleName, new Claim(owner, description))
        == null;
  }

  /**
   * Returns who claimed a name, if anyone.
   *
   * @param packageName the package
   * @param simpleName the simple name
   * @return the first claim of that name, or {@code null}
   */
  public Claim claimOf(String packageName, String simpleName) {
    Map<String, Claim> names = byPackage.get(packageName);
    return names == null ? null : names.get(simpleName);
  }
}
