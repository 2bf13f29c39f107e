package dev.oidcgate.oidc.steps;

import jakarta.servlet.ServletException;
import java.io.IOException;

/**
 * One step of the filter's request path: it answers the request (a response written, or the request
 * passed down the chain) or lets the next step look at it. Steps are built once at {@code init} and
 * serve all requests concurrently.
 */
interface RequestStep {

  /** What a step did with the request. */
  enum Outcome {
    /** The request is answered; no later step sees it. */
    ANSWERED,
    /** The next step looks at it. */
    NEXT
  }

  Outcome handle(Exchange exchange) throws IOException, ServletException;
}
