package dev.converge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter of a {@link Race} or {@link Join} method whose branch the combinator never
 * cancels: not when another branch decides, not when the returned future is cancelled or completed
 * from outside, and not when a blocking call is interrupted. Use it for work whose side effects
 * must run to completion, such as warming a cache.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Keep {}
