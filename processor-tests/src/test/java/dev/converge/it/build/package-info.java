/**
 * Build support, not tests: compiles the end-to-end sources the other ways a user's build compiles
 * them (Eclipse's compiler, javac behind a wrapping environment, a named module), so that the same
 * tests run against each result.
 */
package dev.converge.it.build;
