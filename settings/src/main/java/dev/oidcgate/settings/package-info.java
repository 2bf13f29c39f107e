/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.settings;

import org.jspecify.annotations.NullMarked;
