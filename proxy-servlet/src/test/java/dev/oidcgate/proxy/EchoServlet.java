package dev.oidcgate.proxy;

import dev.oidcgate.testlogs.SecretLedger;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The upstream of the tests: answers every request with a JSON report of the method, the raw URI,
 * the headers and the body's length and CRC-32C, and records the same as a {@link RecordedRequest}
 * for assertions. A request header {@code X-Respond-With: Name: value} makes it add that response
 * header, {@code X-Respond-Status: 302} sets the status.
 */
final class EchoServlet extends HttpServlet {

  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie");

  private final BlockingQueue<RecordedRequest> recorded = new LinkedBlockingQueue<>();

  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = recorded.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the upstream received no request");
    }
    return request;
  }

  /** Whatever arrived so far, without waiting: empty when the upstream saw nothing. */
  List<RecordedRequest> drain() {
    List<RecordedRequest> arrived = new ArrayList<>();
    recorded.drainTo(arrived);
    return arrived;
  }

  void clear() {
    recorded.clear();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        headers.add(Map.entry(name, value));
        if (CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
          // Whatever credential passed through the proxy must not be in its log either.
          SecretLedger.record(name + " header", value);
        }
      }
    }
    CRC32C crc = new CRC32C();
    long length = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = request.getInputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        crc.update(buffer, 0, n);
        length += n;
      }
    }
    String rawUri =
        request.getRequestURI()
            + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    RecordedRequest recordedRequest =
        new RecordedRequest(request.getMethod(), rawUri, headers, length, crc.getValue());
    recorded.add(recordedRequest);

    String status = request.getHeader("X-Respond-Status");
    response.setStatus(status == null ? 200 : Integer.parseInt(status));
    for (String instruction : Collections.list(request.getHeaders("X-Respond-With"))) {
      int colon = instruction.indexOf(':');
      response.addHeader(
          instruction.substring(0, colon).trim(), instruction.substring(colon + 1).trim());
    }
    byte[] json = toJson(recordedRequest).getBytes(StandardCharsets.UTF_8);
    response.setContentType("application/json");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }

  private static String toJson(RecordedRequest r) {
    StringBuilder json =
        new StringBuilder("{\"method\":")
            .append(quote(r.method()))
            .append(",\"uri\":")
            .append(quote(r.rawUri()))
            .append(",\"headers\":[");
    for (int i = 0; i < r.headers().size(); i++) {
      Map.Entry<String, String> h = r.headers().get(i);
      json.append(i == 0 ? "" : ",")
          .append('[')
          .append(quote(h.getKey()))
          .append(',')
          .append(quote(h.getValue()))
          .append(']');
    }
    return json.append("],\"bodyLength\":")
        .append(r.bodyLength())
        .append(",\"bodyCrc32c\":")
        .append(r.bodyCrc())
        .append('}')
        .toString();
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
