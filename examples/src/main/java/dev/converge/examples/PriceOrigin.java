package dev.converge.examples;

/** Which side of the price race priced a batch. */
public enum PriceOrigin {
  /** The pricing service answered before the deadline. */
  PRIMARY,
  /** The pricing service failed or was too slow; the cached prices were used. */
  FALLBACK
}
