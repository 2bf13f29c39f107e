package dev.oidcgate.oidc.testsupport;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.oidcgate.oidc.http.IdpTransport;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link IdpTransport} that answers from canned responses per URI and records every request, for
 * unit tests of what sits on top of the transport (caches, verifiers), not of the IdP. A response
 * can be a status and body, an exception to throw, or a gate that holds the calling thread until
 * the test opens it. Thread-safe.
 */
public final class FakeIdpTransport implements IdpTransport {

  /** What one URI answers; the last one set stays until replaced. */
  @FunctionalInterface
  public interface Answer {
    HTTPResponse answer(HTTPRequest request) throws IOException;
  }

  private final Map<URI, Answer> answers = new ConcurrentHashMap<>();
  private final List<HTTPRequest> requests = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch gate;

  public FakeIdpTransport json(URI uri, String body) {
    return status(uri, 200, body);
  }

  public FakeIdpTransport status(URI uri, int status, String body) {
    answers.put(
        uri,
        request -> {
          HTTPResponse response = new HTTPResponse(status);
          response.setHeader("Content-Type", "application/json");
          response.setBody(body);
          return response;
        });
    return this;
  }

  /** Every request to {@code uri} fails as an unreachable provider would. */
  public FakeIdpTransport unreachable(URI uri) {
    return answer(
        uri,
        request -> {
          throw new IOException("connect timed out");
        });
  }

  public FakeIdpTransport answer(URI uri, Answer answer) {
    answers.put(uri, answer);
    return this;
  }

  /** From now on every request waits, before it is answered, until {@link #open()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  public void open() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  @Override
  public HTTPResponse send(HTTPRequest request) throws IOException {
    requests.add(request);
    CountDownLatch g = gate;
    if (g != null) {
      try {
        if (!g.await(10, TimeUnit.SECONDS)) {
          throw new IOException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    Answer answer = answers.get(request.getURI());
    if (answer == null) {
      return new HTTPResponse(404);
    }
    return answer.answer(request);
  }

  /** How many requests went to {@code uri}. */
  public int requestsTo(URI uri) {
    int n = 0;
    for (HTTPRequest r : requests) {
      if (r.getURI().equals(uri)) {
        n++;
      }
    }
    return n;
  }

  public List<HTTPRequest> requests() {
    return new ArrayList<>(requests);
  }
}
