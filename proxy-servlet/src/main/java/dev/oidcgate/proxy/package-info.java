/**
 * Nullness: every type is non-null unless marked {@code @Nullable}. (ProxyConfig is still
 * unchecked: the parent POM names it in NullAway's UnannotatedClasses until its builder has moved
 * out.)
 */
@NullMarked
package dev.oidcgate.proxy;

import org.jspecify.annotations.NullMarked;
