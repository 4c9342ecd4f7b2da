package dev.converge.batch;

/**
 * The phase of a {@link BatchIterator}'s stream.
 *
 * <pre>
 *   OPEN ──the source returns an empty list──────────────────────▶ ENDED ──┐
 *     │  ──the source fails, or the scheduler refuses a linger──▶ FAILED ──┼──close()──▶ CLOSED
 *     └───────────────────────────close()──────────────────────────────────┘
 * </pre>
 *
 * <p>On leaving OPEN the source is closed, and the batch being filled, if any, becomes the END
 * batch. The stream is finished, and every {@code next()} completes at once, when no batch is left
 * to deliver.
 */
enum Phase {
  /** Items may still come from the source. */
  OPEN,
  /** The source returned an empty list: the remainder is the END batch, then the stream ends. */
  ENDED,
  /** The source failed: the remainder is the END batch, then every next() fails. */
  FAILED,
  /** close() was called: nothing more is delivered. */
  CLOSED
}
