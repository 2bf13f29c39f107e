/** Nullness: every type is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.oidcgate.doctor;

import org.jspecify.annotations.NullMarked;
