package dev.converge.processor.generate;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out names for locals of a generated method that cannot clash with its parameters or with
 * each other: the preferred name if free, else the same name with 2, 3, … appended.
 */
final class LocalNames {
  private final Set<String> taken;

  LocalNames(Collection<String> reserved) {
    this.taken = new HashSet<>(reserved);
  }

  String allocate(String preferred) {
    String name = preferred;
    for (int suffix = 2; !taken.add(name); suffix++) {
      name = preferred + suffix;
    }
    return name;
  }
}
