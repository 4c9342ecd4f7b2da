package dev.converge.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * One parameter of a {@code @Race} or {@code @Join} method, understood as a branch.
 *
 * @param name the parameter's name; also the fold parameter and join component name
 * @param variantName the race variant's record name: {@code name} with its first letter upper-cased
 * @param kind how the engine starts and awaits it
 * @param parameterType the parameter's type as declared
 * @param typeArgument the value type as written, possibly a wildcard ({@code ? extends Foo})
 * @param valueType the type a variant or join component holds: {@code typeArgument}, or its upper
 *     bound when it is a wildcard ({@code Foo} for {@code ? extends Foo}, {@code Object} for
 *     {@code ?} and {@code ? super Foo})
 * @param keep whether the parameter carries {@code @Keep}
 */
public record Branch(
    String name,
    String variantName,
    BranchKind kind,
    TypeName parameterType,
    TypeName typeArgument,
    TypeName valueType,
    boolean keep) {}
