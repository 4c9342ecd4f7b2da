/**
 * The rules of docs/design.md sections 3.4 and 3.6: turns annotated types into the {@code model}
 * and a {@link dev.converge.processor.validate.ValidationReport} of every problem, each on the
 * offending element. {@link dev.converge.processor.validate.Message} is the one catalogue of error
 * messages. Validation never prints and never writes files; the processor does both.
 */
package dev.converge.processor.validate;
