package dev.oidcgate.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway on Web MVC (embedded Tomcat) with Spring Security's resource server: every
 * setting is in {@code application.properties}; Spring Boot's auto-configuration builds the
 * security chain (every request authenticated by a bearer JWT) and the route.
 */
@SpringBootApplication
public class GatewayWebmvc {
  public static void main(String[] args) {
    SpringApplication.run(GatewayWebmvc.class, args);
  }
}
