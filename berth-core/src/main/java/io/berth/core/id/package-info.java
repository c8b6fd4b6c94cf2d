/**
 * Typed ids: each wraps the raw string that travels on the wire and in the store (Jackson writes
 * and reads them as plain strings, see {@code io.berth.cluster.IdJson}), and its {@code toString()}
 * is that raw string, so log lines and messages read as before.
 */
package io.berth.core.id;
