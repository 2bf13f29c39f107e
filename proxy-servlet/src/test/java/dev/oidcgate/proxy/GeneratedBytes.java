package dev.oidcgate.proxy;

import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * A deterministic pseudo-random byte stream of a given length, generated on the fly so that
 * gigabyte transfers need neither files nor memory. The same seed and length always give the same
 * bytes.
 */
final class GeneratedBytes extends InputStream {

  private long remaining;
  private long state;
  private long word;
  private int wordBytesLeft;

  GeneratedBytes(long length, long seed) {
    this.remaining = length;
    this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
  }

  /** The CRC-32C of {@code length} bytes from {@code seed}. */
  static long crc(long length, long seed) {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[64 * 1024];
    try (GeneratedBytes in = new GeneratedBytes(length, seed)) {
      for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (remaining <= 0) {
      return -1;
    }
    int n = (int) Math.min(len, remaining);
    for (int i = 0; i < n; i++) {
      if (wordBytesLeft == 0) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        word = state;
        wordBytesLeft = 8;
      }
      b[off + i] = (byte) word;
      word >>>= 8;
      wordBytesLeft--;
    }
    remaining -= n;
    return n;
  }

  @Override
  public void close() {
    remaining = 0;
  }
}
