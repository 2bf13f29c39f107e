/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.oidc.config;

import org.jspecify.annotations.NullMarked;
