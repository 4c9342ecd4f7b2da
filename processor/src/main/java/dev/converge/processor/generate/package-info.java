/**
 * One writer per kind of generated file: the sealed result interface of a race
 * ({@link dev.converge.processor.generate.RaceResultWriter}), the record of a join
 * ({@link dev.converge.processor.generate.JoinResultWriter}) and the implementation class
 * ({@link dev.converge.processor.generate.ImplementationWriter}). Generation reads a validated model
 * and never reports user errors.
 */
package dev.converge.processor.generate;
