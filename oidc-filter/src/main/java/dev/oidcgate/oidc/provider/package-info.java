/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.oidc.provider;

import org.jspecify.annotations.NullMarked;
