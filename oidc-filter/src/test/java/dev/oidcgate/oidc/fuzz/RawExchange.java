package dev.oidcgate.oidc.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 exchange over a socket, with the request written byte for byte (UTF-8) as given:
 * corpus inputs hold header values that {@code java.net.http} refuses to send, and the container's
 * answer to them is part of what the replay tests check.
 */
record RawExchange(int status, String whole) {

  /**
   * @param server any URI of the server (only host and port are used)
   * @param head the request line and header lines, without the blank line that ends them
   */
  static RawExchange send(URI server, String head, String body) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
      socket.setSoTimeout(10_000);
      byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
      String fullHead =
          head
              + "\r\nConnection: close"
              + (body.isEmpty() ? "" : "\r\nContent-Length: " + bodyBytes.length)
              + "\r\n\r\n";
      socket.getOutputStream().write(fullHead.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(bodyBytes);
      socket.getOutputStream().flush();
      String response = readAll(socket.getInputStream());
      String[] statusLine = response.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
      return new RawExchange(status, response);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
