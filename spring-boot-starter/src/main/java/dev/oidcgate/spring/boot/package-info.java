/**
 * Spring Boot auto-configuration for OIDC Gate: {@link OidcGateAutoConfiguration}.
 *
 * <p>Nullness: every type is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.oidcgate.spring.boot;

import org.jspecify.annotations.NullMarked;
