package dev.converge.processor.validate;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A type read from its text, as Eclipse's compiler shows a type that mentions a type not generated
 * yet: one error type whose text is the whole type, resolved names qualified
 * ({@code java.util.concurrent.CompletionStage<java.util.List<UserSource>>}); javac 25 shows a
 * generic not-yet-generated type ({@code Timed<T>}) the same way. The unqualified names in it are
 * the ones the compiler could not resolve, so they resolve only to a type variable of the method or
 * to a type this round plans to generate in the package.
 *
 * @param name the qualified or simple name, {@code ?} for a wildcard, or a primitive keyword
 * @param arguments the type arguments, in order
 * @param bound a wildcard's bound, or empty
 * @param isSuperBound whether a wildcard's bound is {@code super}
 * @param dimensions how many {@code []} follow
 */
record TypeText(
    String name,
    List<TypeText> arguments,
    Optional<TypeText> bound,
    boolean isSuperBound,
    int dimensions) {

  private static final Map<String, TypeName> PRIMITIVES =
      Map.of(
          "boolean",
          TypeName.BOOLEAN,
          "byte",
          TypeName.BYTE,
          "short",
          TypeName.SHORT,
          "int",
          TypeName.INT,
          "long",
          TypeName.LONG,
          "char",
          TypeName.CHAR,
          "float",
          TypeName.FLOAT,
          "double",
          TypeName.DOUBLE);

  /** Copies the arguments. */
  TypeText {
    arguments = List.copyOf(arguments);
  }

  /** Parses {@code text}; empty if it is not a type as a compiler writes one. */
  static Optional<TypeText> parse(String text) {
    Parser parser = new Parser(text.replace(" ", ""));
    Optional<TypeText> type = parser.type();
    return parser.position == parser.text.length() ? type : Optional.empty();
  }

  /**
   * Writes this type back in one spacing, whatever the compiler's: {@code Pair<B, A>},
   * {@code ? extends Number}, {@code String[]}.
   */
  String written() {
    StringBuilder text = new StringBuilder(name);
    bound.ifPresent(
        type -> text.append(isSuperBound ? " super " : " extends ").append(type.written()));
    if (!arguments.isEmpty()) {
      text.append(
          arguments.stream().map(TypeText::written).collect(Collectors.joining(", ", "<", ">")));
    }
    text.append("[]".repeat(dimensions));
    return text.toString();
  }

  /** Tells whether this is a wildcard. */
  boolean isWildcard() {
    return name.equals("?");
  }

  /**
   * Converts this type, or returns empty if a name in it is neither qualified, nor a type
   * variable of the method, nor a type planned in {@code packageName}.
   */
  Optional<TypeName> toTypeName(
      PlannedTypes planned, String packageName, Set<String> typeVariables) {
    Optional<TypeName> base;
    if (isWildcard()) {
      base =
          bound.isEmpty()
              ? Optional.of(WildcardTypeName.subtypeOf(Object.class))
              : bound
                  .get()
                  .toTypeName(planned, packageName, typeVariables)
                  .map(
                      bounded ->
                          isSuperBound
                              ? WildcardTypeName.supertypeOf(bounded)
                              : WildcardTypeName.subtypeOf(bounded));
    } else if (PRIMITIVES.containsKey(name) && arguments.isEmpty()) {
      base = Optional.of(PRIMITIVES.get(name));
    } else if (typeVariables.contains(name) && arguments.isEmpty()) {
      base = Optional.of(TypeVariableName.get(name));
    } else {
      base =
          className(planned, packageName)
              .flatMap(
                  className -> {
                    if (arguments.isEmpty()) {
                      return Optional.of(className);
                    }
                    List<TypeName> converted = new ArrayList<>();
                    for (TypeText argument : arguments) {
                      Optional<TypeName> typeName =
                          argument.toTypeName(planned, packageName, typeVariables);
                      if (typeName.isEmpty()) {
                        return Optional.empty();
                      }
                      converted.add(typeName.get());
                    }
                    return Optional.of(
                        ParameterizedTypeName.get(className, converted.toArray(TypeName[]::new)));
                  });
    }
    Optional<TypeName> type = base;
    for (int i = 0; i < dimensions; i++) {
      type = type.map(ArrayTypeName::of);
    }
    return type;
  }

  private Optional<ClassName> className(PlannedTypes planned, String packageName) {
    if (name.contains(".")) {
      try {
        return Optional.of(ClassName.bestGuess(name));
      } catch (IllegalArgumentException notAClassName) {
        return Optional.empty();
      }
    }
    return planned.claimOf(packageName, name) == null
        ? Optional.empty()
        : Optional.of(ClassName.get(packageName, name));
  }

  /** Recursive descent over {@code name<arguments>[]} and {@code ? extends type}. */
  private static final class Parser {
    private final String text;
    private int position;

    Parser(String text) {
      this.text = text;
    }

    Optional<TypeText> type() {
      if (text.startsWith("?", position)) {
        position++;
        boolean isSuper = false;
        if (text.startsWith("extends", position)) {
          position += "extends".length();
        } else if (text.startsWith("super", position)) {
          position += "super".length();
          isSuper = true;
        } else {
          return Optional.of(new TypeText("?", List.of(), Optional.empty(), false, 0));
        }
        boolean superBound = isSuper;
        return type().map(bound -> new TypeText("?", List.of(), Optional.of(bound), superBound, 0));
      }
      int start = position;
      while (position < text.length()
          && (Character.isJavaIdentifierPart(text.charAt(position))
              || text.charAt(position) == '.')) {
        position++;
      }
      String name = text.substring(start, position);
      if (name.isEmpty()) {
        return Optional.empty();
      }
      List<TypeText> arguments = new ArrayList<>();
      if (text.startsWith("<", position)) {
        do {
          position++;
          Optional<TypeText> argument = type();
          if (argument.isEmpty()) {
            return Optional.empty();
          }
          arguments.add(argument.get());
        } while (text.startsWith(",", position));
        if (!text.startsWith(">", position)) {
          return Optional.empty();
        }
        position++;
      }
      int dimensions = 0;
      while (text.startsWith("[]", position)) {
        position += 2;
        dimensions++;
      }
      return Optional.of(new TypeText(name, arguments, Optional.empty(), false, dimensions));
    }
  }
}
