/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.oidc.idp;

import org.jspecify.annotations.NullMarked;
