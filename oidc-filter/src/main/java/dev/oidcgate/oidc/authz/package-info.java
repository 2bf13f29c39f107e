/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.oidc.authz;

import org.jspecify.annotations.NullMarked;
