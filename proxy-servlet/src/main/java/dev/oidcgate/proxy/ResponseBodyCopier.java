package dev.oidcgate.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams the upstream's response body to the client with one fixed buffer.
 *
 * <p>Whenever the upstream has nothing more buffered ({@code available() == 0}, i.e. the next read
 * would wait for the network), what has been written so far is flushed to the client. A bulk
 * download thus moves in full buffers, while a server-sent event, a long-poll answer or any other
 * trickle reaches the client as soon as it arrives instead of waiting in the container's output
 * buffer. Stateless.
 */
final class ResponseBodyCopier {

  private static final int BUFFER_SIZE = 16 * 1024;

  private ResponseBodyCopier() {}

  /**
   * @param length the body's declared length, or negative when unknown: a smaller body gets a
   *     buffer of its size plus one (a 16 KiB buffer per small API answer was a quarter of the
   *     proxy's allocation); a wrong length only changes the buffer's size, not what is copied
   * @throws ClientGoneException if writing to or flushing the client failed
   * @throws IOException (any other) if reading from the upstream failed
   */
  static long copy(InputStream upstream, long length, OutputStream client) throws IOException {
    byte[] buffer = new byte[length >= 0 && length < BUFFER_SIZE ? (int) length + 1 : BUFFER_SIZE];
    long total = 0;
    while (true) {
      int n = upstream.read(buffer);
      if (n < 0) {
        return total;
      }
      try {
        client.write(buffer, 0, n);
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
      boolean upstreamIdle = upstream.available() <= 0;
      try {
        if (upstreamIdle) {
          client.flush();
        }
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
      total += n;
    }
  }
}
