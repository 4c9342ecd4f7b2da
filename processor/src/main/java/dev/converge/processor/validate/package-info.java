/**
 * The rules of DESIGN 3.4 and 3.6: turns annotated types into the {@code model} or reports, on the
 * offending element, why it cannot. {@link dev.converge.processor.validate.Message} is the one
 * catalogue of error messages. Validation never writes files.
 */
package dev.converge.processor.validate;
