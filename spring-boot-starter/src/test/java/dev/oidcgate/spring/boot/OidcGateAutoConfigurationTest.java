package dev.oidcgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oidcgate.oidc.OidcFilter;
import dev.oidcgate.oidc.config.OidcConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The auto-configuration in a servlet application context (no container started: the filter's
 * {@code init}, which reads the IdP, is the container's job; the Keycloak ITs do that).
 */
class OidcGateAutoConfigurationTest {

  private static final String[] MINIMAL = {
    "oidc-gate.issuer=https://idp.example.com/realms/demo",
    "oidc-gate.client-id=app",
    "oidc-gate.client-secret=app-secret",
    "oidc-gate.session-secret=a-session-secret-of-at-least-32-characters",
  };

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(OidcGateAutoConfiguration.class));

  @Test
  void registersTheFilterOnSlashStarAndAProxyServletPerRouteFromProperties() {
    runner
        .withPropertyValues(MINIMAL)
        .withPropertyValues(
            "oidc-gate.routes.oidc-route.target-uri=http://127.0.0.1:9000/base",
            "oidc-gate.routes.api.path=/api/v1/*",
            "oidc-gate.routes.api.targetUri=http://127.0.0.1:9001",
            "oidc-gate.routes.api.response-timeout=2s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              FilterRegistrationBean<?> filter =
                  context.getBean("oidcGateFilter", FilterRegistrationBean.class);
              assertThat(filter.getFilter()).isInstanceOf(OidcFilter.class);
              assertThat(filter.getFilterName()).isEqualTo("oidc-gate");
              assertThat(filter.getUrlPatterns()).containsExactly("/*");

              OidcGateRoutes routes = context.getBean(OidcGateRoutes.class);
              assertThat(routes.servlets())
                  .extracting(ServletRegistrationBean::getServletName)
                  .containsExactly("oidc-gate-route-oidc-route", "oidc-gate-route-api");
              assertThat(routes.servlets().get(0).getUrlMappings())
                  .containsExactly("/oidc-route/*");
              assertThat(routes.servlets().get(1).getUrlMappings()).containsExactly("/api/v1/*");

              OidcGateProperties read = OidcGateProperties.read(context.getEnvironment());
              assertThat(read.filterParameters())
                  .containsEntry("issuer", "https://idp.example.com/realms/demo")
                  .containsEntry("clientId", "app");
              assertThat(read.routes().get(1).parameters())
                  .containsExactlyInAnyOrderEntriesOf(
                      Map.of("targetUri", "http://127.0.0.1:9001", "responseTimeout", "2s"));
            });
  }

  @Test
  void anEnvironmentVariableInUpperSnakeCaseSetsTheKey() {
    runner
        .withPropertyValues(MINIMAL)
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "systemEnvironment",
                            Map.of(
                                "OIDC_GATE_ISSUER", "https://env.example.com/realms/x",
                                "OIDC_GATE_CLIENT_ID", "from-env",
                                "OIDC_GATE_URL_PATTERNS", "/app/*,/api/*",
                                "OIDC_GATE_REQUIRE_BROWSER", "1"))))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Map<String, String> params =
                  OidcGateProperties.read(context.getEnvironment()).filterParameters();
              assertThat(params)
                  .containsEntry("issuer", "https://env.example.com/realms/x")
                  .containsEntry("clientId", "from-env");
              FilterRegistrationBean<?> filter =
                  context.getBean("oidcGateFilter", FilterRegistrationBean.class);
              assertThat(List.copyOf(filter.getUrlPatterns())).containsExactly("/app/*", "/api/*");
            });
  }

  @Test
  void backsOffWhenTheAppRegistersItsOwnOidcFilter() {
    runner
        .withPropertyValues(MINIMAL)
        .withUserConfiguration(OwnRegistration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("oidcGateFilter");
              assertThat(context.getBeansOfType(FilterRegistrationBean.class))
                  .containsOnlyKeys("ownOidcFilter");
            });
    runner
        .withPropertyValues(MINIMAL)
        .withUserConfiguration(OwnFilterBean.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("oidcGateFilter");
            });
  }

  @Test
  void theFilterCountsOnTheAppsMeterRegistry() {
    runner
        .withPropertyValues(MINIMAL)
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.find("oidc.gate.logins").counters()).hasSize(2);
              assertThat(registry.find("oidc.gate.logouts").counter()).isNotNull();
            });
  }

  @Test
  void withMetricsSetExplicitlyTheAppsRegistryIsLeftAlone() {
    runner
        .withPropertyValues(MINIMAL)
        .withPropertyValues("oidc-gate.metrics=none")
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(MeterRegistry.class).find("oidc.gate.logins").counters())
                  .isEmpty();
            });
  }

  @Test
  void aMalformedValueFailsTheStartNamingItsProperty() {
    runner
        .withPropertyValues(MINIMAL)
        .withPropertyValues("oidc-gate.clock-skew=banana")
        .run(
            context ->
                assertThat(failureMessages(context.getStartupFailure()))
                    .contains("oidc-gate.clock-skew: ")
                    .contains("(filter key clockSkew)"));
  }

  @Test
  void aMissingIssuerFailsTheStartNamingOidcGateIssuer() {
    runner
        .withPropertyValues("oidc-gate.client-id=app")
        .run(
            context ->
                assertThat(failureMessages(context.getStartupFailure()))
                    .contains("oidc-gate.issuer: "));
  }

  @Test
  void anUnknownPropertyFailsTheStartNamingIt() {
    runner
        .withPropertyValues(MINIMAL)
        .withPropertyValues("oidc-gate.isuer=https://typo.example.com")
        .run(
            context ->
                assertThat(failureMessages(context.getStartupFailure()))
                    .contains("oidc-gate.isuer: unknown property"));
  }

  @Test
  void aBadRouteValueFailsTheStartNamingTheRoutesProperty() {
    runner
        .withPropertyValues(MINIMAL)
        .withPropertyValues("oidc-gate.routes.api.target-uri=ftp://127.0.0.1/x")
        .run(
            context ->
                assertThat(failureMessages(context.getStartupFailure()))
                    .contains("oidc-gate.routes.api.target-uri: "));
    runner
        .withPropertyValues(MINIMAL)
        .withPropertyValues("oidc-gate.routes.api.target-url=http://127.0.0.1/x")
        .run(
            context ->
                assertThat(failureMessages(context.getStartupFailure()))
                    .contains("oidc-gate.routes.api.target-url: unknown property"));
  }

  @Test
  void enabledFalseRegistersNothing() {
    runner
        .withPropertyValues("oidc-gate.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(OidcGateRoutes.class);
              assertThat(context).doesNotHaveBean("oidcGateFilter");
            });
  }

  private static String failureMessages(Throwable failure) {
    assertThat(failure).as("the start should have failed").isNotNull();
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistration {
    @Bean
    FilterRegistrationBean<OidcFilter> ownOidcFilter() {
      return new FilterRegistrationBean<>(
          new OidcFilter(
              OidcConfig.builder()
                  .issuer("https://own.example.com")
                  .clientId("own")
                  .clientSecret("own-secret")
                  .set("sessionSecret", "own-session-secret-of-at-least-32-characters")
                  .build()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFilterBean {
    @Bean
    OidcFilter ownFilter() {
      return new OidcFilter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }
}
