package dev.converge.processor.validate;

import javax.lang.model.element.Element;

/**
 * A type that does not exist in this round and that Converge does not plan to generate. Another
 * processor may still generate it, so the annotated type waits; on the last round it is reported.
 *
 * @param element the element whose type it is
 * @param problem the error to report if it never appears
 */
record Unresolved(Element element, Problem problem) {}
