package dev.oidcgate.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client on a plain socket, for requests that {@code java.net.http} will not send as written
 * ({@code Connection}, {@code Host}, {@code Upgrade}, exact request-target bytes). One request per
 * connection.
 */
final class RawHttp {

  record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    List<String> header(String name) {
      List<String> values = new ArrayList<>();
      headers.forEach(
          h -> {
            if (h.getKey().equalsIgnoreCase(name)) {
              values.add(h.getValue());
            }
          });
      return values;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code head} (CRLF line ends added; {@code Connection: close} is not) and reads the
   * response.
   */
  static Response exchange(int port, String... headLines) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      String head = String.join("\r\n", headLines) + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    }
  }

  static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String line; !(line = line(in)).isEmpty(); ) {
      int colon = line.indexOf(':');
      headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
    Response headOnly = new Response(status, headers, new byte[0]);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (!headOnly.header("Content-Length").isEmpty()) {
      body.write(in.readNBytes(Integer.parseInt(headOnly.header("Content-Length").get(0))));
    } else if (headOnly.header("Transfer-Encoding").contains("chunked")) {
      for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
        body.write(in.readNBytes(size));
        line(in);
      }
    } else if (status != 204 && status != 304) {
      in.transferTo(body);
    }
    return new Response(status, headers, body.toByteArray());
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("connection closed mid-line");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
