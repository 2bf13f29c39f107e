package dev.oidcgate.proxy;

/**
 * A snapshot of the proxy's connection pool to the upstream, for monitoring and tests.
 *
 * @param leased connections currently in use by a request; 0 when the proxy is idle, whatever
 *     happened before (an aborted download must not leave one leased)
 * @param available idle connections kept for reuse
 * @param pending requests waiting for a connection
 * @param max the pool's total limit ({@code maxConnections})
 */
public record PoolStats(int leased, int available, int pending, int max) {}
