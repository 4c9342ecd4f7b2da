/**
 * What the processor understood about an annotated type and its methods: immutable values that
 * validation produces and generation reads. Nothing here reports errors or writes files.
 */
package dev.converge.processor.model;
