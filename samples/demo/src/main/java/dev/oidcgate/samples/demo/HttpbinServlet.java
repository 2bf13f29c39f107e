package dev.oidcgate.samples.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An httpbin-like upstream: every path answers with what arrived (method, path, query arguments and
 * headers) as JSON, so a person sees what the proxy passed on, bearer token included.
 */
final class HttpbinServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Map<String, Object> headers = new TreeMap<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      headers.put(name, String.join(", ", Collections.list(req.getHeaders(name))));
    }
    Map<String, Object> args = new TreeMap<>();
    req.getParameterMap()
        .forEach((k, v) -> args.put(k, v.length == 1 ? v[0] : String.join(",", v)));
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"method\": ").append(Json.quote(req.getMethod())).append(",\n");
    json.append("  \"path\": ").append(Json.quote(req.getRequestURI())).append(",\n");
    json.append("  \"args\": ").append(Json.object(args, "  ")).append(",\n");
    json.append("  \"headers\": ").append(Json.object(headers, "  ")).append(",\n");
    json.append("  \"origin\": ").append(Json.quote(req.getRemoteAddr())).append("\n}\n");
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.getWriter().write(json.toString());
  }
}
