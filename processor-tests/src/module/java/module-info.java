/**
 * The end-to-end sources as a user's named module: the generated code lives in it and reaches the
 * runtime only through {@code dev.converge}'s exported packages. The build compiles it this way
 * (see {@code dev.converge.it.build.CompileAs}) and runs the end-to-end tests on the module path,
 * patched into this module as surefire does for a module's own tests; it exports nothing.
 */
module shop {
  requires dev.converge;
}
