/**
 * Mechanisms that Converge's own modules share: completing futures after a lock is released, and
 * unwrapping the exceptions futures add. Exported only to Converge's modules; not part of the API.
 */
package dev.converge.internal;
