package dev.oidcgate.samples.springboot;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The whole app: oidc-gate-spring-boot-starter on the class path and application.yml sign people in
 * (the filter on {@code /*}) and proxy {@code /oidc-route/*} to an upstream; this controller only
 * greets the signed-in user.
 */
@SpringBootApplication
@RestController
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  public String home(HttpServletRequest request) {
    Principal user = request.getUserPrincipal();
    String name = user == null ? "nobody" : user.getName();
    return "<!doctype html><title>OIDC Gate on Spring Boot</title>"
        + "<p id=\"user\">Signed in as "
        + HtmlUtils.htmlEscape(name)
        + "</p><p><a href=\"oidc-route/get\">The upstream</a> · <a href=\"logout\">Sign out</a></p>";
  }
}
