package dev.oidcgate.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway on WebFlux (Reactor Netty) with Spring Security's resource server: every
 * setting is in {@code application.properties}; Spring Boot's auto-configuration builds the
 * security chain (every exchange authenticated by a bearer JWT) and the route.
 */
@SpringBootApplication
public class GatewayWebflux {
  public static void main(String[] args) {
    SpringApplication.run(GatewayWebflux.class, args);
  }
}
