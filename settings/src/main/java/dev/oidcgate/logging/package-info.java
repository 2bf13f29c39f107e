/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.logging;

import org.jspecify.annotations.NullMarked;
