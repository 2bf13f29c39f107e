package dev.oidcgate.oidc.web;

import dev.oidcgate.oidc.cluster.PreservedPosts;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The GET a browser makes after its login, as the form POST it made before: method {@code POST},
 * the kept {@code Content-Type} and body (as stream, reader and parameters, after those of the
 * query), everything else as the GET brought it. Used by one thread.
 */
final class ReplayedPost extends HttpServletRequestWrapper {

  private final String contentType;
  private final byte[] body;
  private @Nullable Map<String, String[]> parameters;
  private boolean bodyRead;

  ReplayedPost(HttpServletRequest request, PreservedPosts.Post post) {
    super(request);
    this.contentType = post.contentType();
    this.body = post.body();
  }

  @Override
  public String getMethod() {
    return "POST";
  }

  @Override
  public String getContentType() {
    return contentType;
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public @Nullable String getHeader(String name) {
    if (name.equalsIgnoreCase("Content-Type")) {
      return contentType;
    }
    if (name.equalsIgnoreCase("Content-Length")) {
      return Integer.toString(body.length);
    }
    return super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String own =
        name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length")
            ? getHeader(name)
            : null;
    return own != null ? Collections.enumeration(List.of(own)) : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (String n : Collections.list(super.getHeaderNames())) {
      if (!n.equalsIgnoreCase("Content-Type") && !n.equalsIgnoreCase("Content-Length")) {
        names.add(n);
      }
    }
    names.add("Content-Type");
    names.add("Content-Length");
    return Collections.enumeration(names);
  }

  @Override
  public ServletInputStream getInputStream() {
    bodyRead = true;
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        try {
          listener.onDataAvailable();
          listener.onAllDataRead();
        } catch (IOException e) {
          listener.onError(e);
        }
      }
    };
  }

  @Override
  public BufferedReader getReader() {
    bodyRead = true;
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset()));
  }

  @Override
  public @Nullable String getParameter(String name) {
    String[] values = parameters().get(name);
    return values == null ? null : values[0];
  }

  @Override
  public String @Nullable [] getParameterValues(String name) {
    String[] values = parameters().get(name);
    return values == null ? null : values.clone();
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(parameters().keySet());
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return Collections.unmodifiableMap(parameters());
  }

  /** The query's parameters, then the form's (as a container does, before the body is read). */
  private Map<String, String[]> parameters() {
    if (parameters == null) {
      Map<String, List<String>> all = new LinkedHashMap<>();
      super.getParameterMap()
          .forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(List.of(v)));
      if (!bodyRead) {
        Charset charset = charset();
        for (String pair : new String(body, charset).split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          try {
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), charset);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), charset);
            all.computeIfAbsent(name, x -> new ArrayList<>()).add(value);
          } catch (IllegalArgumentException e) {
            // a malformed %-escape: the container skips such a pair too
          }
        }
      }
      Map<String, String[]> out = new LinkedHashMap<>();
      all.forEach((k, v) -> out.put(k, v.toArray(new String[0])));
      parameters = out;
    }
    return parameters;
  }

  private static String decode(String text, Charset charset) {
    return URLDecoder.decode(text, charset);
  }

  /** The {@code charset} of the kept {@code Content-Type}, else the request's, else UTF-8. */
  private Charset charset() {
    String encoding = super.getCharacterEncoding();
    int at = contentType.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
    if (at >= 0) {
      encoding = contentType.substring(at + 8).split(";")[0].trim().replace("\"", "");
    }
    if (encoding == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(encoding);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return StandardCharsets.UTF_8;
    }
  }
}
