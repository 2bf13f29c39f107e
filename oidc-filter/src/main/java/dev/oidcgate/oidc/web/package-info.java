/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.oidc.web;

import org.jspecify.annotations.NullMarked;
