package dev.oidcgate.testlogs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * What is written to {@code System.err} (where slf4j-simple logs) while it is open, for a test to
 * assert on. It passes everything on to the stream it replaced, so the run's {@link TestLogCapture}
 * still sees these lines and checks them for secrets.
 *
 * <pre>{@code
 * try (StderrCapture log = StderrCapture.start()) {
 *   ...
 *   assertThat(log.text()).doesNotContain(token);
 * }
 * }</pre>
 */
public final class StderrCapture implements AutoCloseable {

  private final PrintStream replaced;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private StderrCapture() {
    this.replaced = System.err;
  }

  /** Starts capturing. */
  public static StderrCapture start() {
    StderrCapture capture = new StderrCapture();
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            capture.replaced.write(b, off, len);
            synchronized (capture.captured) {
              capture.captured.write(b, off, len);
            }
          }
        };
    System.setErr(new PrintStream(both, true, Charset.defaultCharset()));
    return capture;
  }

  /** What was written so far. */
  public String text() {
    synchronized (captured) {
      return captured.toString(Charset.defaultCharset());
    }
  }

  /** Puts the replaced stream back. */
  @Override
  public void close() {
    System.setErr(replaced);
  }
}
