package dev.oidcgate.spring.boot;

import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.oidc.metrics.MicrometerListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The app's {@code MeterRegistry}, looked up when the filter is made: the filter's events are then
 * counted on it ({@link MicrometerListener}: {@code oidc.gate.logins}, {@code oidc.gate.refusals},
 * ...). Only made when Micrometer is on the class path.
 */
public final class OidcGateMetrics {

  private final Supplier<@Nullable MeterRegistry> registry;

  OidcGateMetrics(Supplier<@Nullable MeterRegistry> registry) {
    this.registry = registry;
  }

  /** The listener counting on the app's registry, or {@code null} when the app has none. */
  @Nullable OidcEventListener listener() {
    MeterRegistry found = registry.get();
    return found == null ? null : new MicrometerListener(found);
  }
}
