package dev.oidcgate.spring.boot;

import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.oidc.config.MetricsSettings;
import dev.oidcgate.oidc.config.OidcConfig;
import dev.oidcgate.oidc.events.EventListeners;
import dev.oidcgate.oidc.events.OidcEventListener;
import dev.oidcgate.proxy.ProxyConfig;
import dev.oidcgate.proxy.ProxyServlet;
import dev.oidcgate.settings.SettingException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registers the OIDC filter (a {@link FilterRegistrationBean} named {@code oidc-gate}, on {@code
 * oidc-gate.url-patterns}, {@code /*} by default) and one {@link ProxyServlet} per {@code
 * oidc-gate.routes.<name>}, from the {@code oidc-gate.*} properties ({@link OidcGateProperties}).
 * The configuration is parsed while the beans are made, so a bad value fails the start naming its
 * property. The filter is left to the app when it defines an {@link OidcFilter} bean or a {@code
 * FilterRegistrationBean<OidcFilter>} of its own. With a {@code MeterRegistry} bean the filter's
 * events are counted on it (unless {@code oidc-gate.metrics} is set). {@code
 * oidc-gate.enabled=false} switches all of it off.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OidcFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(
    prefix = OidcGateProperties.PREFIX,
    name = OidcGateProperties.ENABLED,
    havingValue = "true",
    matchIfMissing = true)
public class OidcGateAutoConfiguration {

  /** The filter's name in the servlet container. */
  public static final String FILTER_NAME = "oidc-gate";

  /** The prefix of each route's servlet name: {@code oidc-gate-route-<name>}. */
  public static final String ROUTE_SERVLET_PREFIX = "oidc-gate-route-";

  @Bean
  @ConditionalOnMissingBean(
      value = OidcFilter.class,
      parameterizedContainer = FilterRegistrationBean.class)
  public FilterRegistrationBean<OidcFilter> oidcGateFilter(
      Environment environment, ObjectProvider<OidcGateMetrics> metrics) {
    OidcGateProperties properties = OidcGateProperties.read(environment);
    OidcConfig config = filterConfig(properties, metrics.getIfAvailable());
    FilterRegistrationBean<OidcFilter> registration =
        new FilterRegistrationBean<>(new OidcFilter(config));
    registration.setName(FILTER_NAME);
    registration.setUrlPatterns(properties.urlPatterns());
    registration.setOrder(properties.filterOrder());
    registration.setAsyncSupported(true);
    return registration;
  }

  @Bean
  @ConditionalOnMissingBean
  public OidcGateRoutes oidcGateRoutes(Environment environment) {
    OidcGateProperties properties = OidcGateProperties.read(environment);
    List<ServletRegistrationBean<ProxyServlet>> servlets = new ArrayList<>();
    for (OidcGateProperties.Route route : properties.routes()) {
      ProxyConfig config;
      try {
        config = ProxyConfig.fromParameters(route.parameters());
      } catch (SettingException e) {
        throw new IllegalStateException(
            OidcGateProperties.PREFIX
                + "."
                + OidcGateProperties.ROUTES
                + "."
                + route.name()
                + "."
                + OidcGateProperties.kebab(e.key())
                + ": "
                + e.reason(),
            e);
      }
      ServletRegistrationBean<ProxyServlet> servlet =
          new ServletRegistrationBean<>(new ProxyServlet(config), route.path());
      servlet.setName(ROUTE_SERVLET_PREFIX + route.name());
      servlet.setLoadOnStartup(1);
      servlet.setAsyncSupported(true);
      servlets.add(servlet);
    }
    return new OidcGateRoutes(servlets);
  }

  private static OidcConfig filterConfig(
      OidcGateProperties properties, @Nullable OidcGateMetrics metrics) {
    try {
      OidcConfig config = OidcConfig.fromInitParams(properties.filterParameters());
      OidcEventListener counting =
          metrics == null
                  || properties.filterParameters().containsKey(MetricsSettings.METRICS.key())
              ? null
              : metrics.listener();
      if (counting == null) {
        return config;
      }
      OidcEventListener both = EventListeners.both(config.extensions().eventListener(), counting);
      return config.sources().rebuild().apply(b -> b.eventListener(both));
    } catch (SettingException e) {
      throw new IllegalStateException(
          OidcGateProperties.property(e.key())
              + ": "
              + e.reason()
              + " (filter key "
              + e.key()
              + ")",
          e);
    }
  }

  /** Micrometer on the class path: the app's {@code MeterRegistry}, when it has one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    OidcGateMetrics oidcGateMetrics(ObjectProvider<MeterRegistry> registry) {
      return new OidcGateMetrics(registry::getIfUnique);
    }
  }
}
