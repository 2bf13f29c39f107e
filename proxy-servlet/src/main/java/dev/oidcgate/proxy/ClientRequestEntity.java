package dev.oidcgate.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * The client's request body as an HttpClient entity that streams: each chunk read from the servlet
 * input is written to the upstream before the next is read, so an upload of any size needs one
 * buffer of memory. A failure to read from the client is rethrown as {@link ClientGoneException}; a
 * failure to write to the upstream passes through unchanged. Not repeatable, which is also why the
 * proxy never retries. Not thread-safe; used by one exchange.
 *
 * <p>No content type or encoding is declared here: the client's {@code Content-Type} and {@code
 * Content-Encoding} headers are copied as they are, so HttpClient must not add its own.
 */
final class ClientRequestEntity extends AbstractHttpEntity {

  private static final int BUFFER_SIZE = 16 * 1024;

  private final InputStream clientBody;
  private final long length;

  /**
   * @param clientBody the servlet input stream
   * @param length the client's {@code Content-Length}, or -1 to send the body chunked
   */
  ClientRequestEntity(InputStream clientBody, long length) {
    super((String) null, null, length < 0);
    this.clientBody = clientBody;
    this.length = length;
  }

  /**
   * Whether the request has a body to forward. An empty body is no entity: HttpClient then still
   * sends Content-Length: 0 for POST, PUT and PATCH, and does not refuse an OPTIONS without
   * Content-Type (it does when given an entity).
   */
  static boolean present(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  @Override
  public long getContentLength() {
    return length;
  }

  @Override
  public InputStream getContent() {
    return clientBody;
  }

  @Override
  public boolean isRepeatable() {
    return false;
  }

  @Override
  public boolean isStreaming() {
    return true;
  }

  @Override
  public void writeTo(OutputStream upstream) throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    while (true) {
      int n;
      try {
        n = clientBody.read(buffer);
      } catch (IOException e) {
        throw new ClientGoneException(e);
      }
      if (n < 0) {
        break;
      }
      upstream.write(buffer, 0, n);
    }
  }

  @Override
  public void close() {
    // The container owns the servlet input stream.
  }
}
