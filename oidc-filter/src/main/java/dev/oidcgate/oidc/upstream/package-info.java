/**
 * The token each upstream gets: the caller's own, one exchanged for the upstream (RFC 8693), the
 * app's own client-credentials token, or none.
 *
 * <p>Nullness: every type is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.oidcgate.oidc.upstream;

import org.jspecify.annotations.NullMarked;
