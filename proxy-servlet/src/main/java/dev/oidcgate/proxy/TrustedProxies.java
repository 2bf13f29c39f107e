package dev.oidcgate.proxy;

import dev.oidcgate.settings.SettingParsers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The set of peers whose {@code X-Forwarded-*} and {@code Forwarded} headers the proxy believes:
 * single IPv4/IPv6 addresses and CIDR blocks. Only address literals are accepted, never host names,
 * so parsing never touches DNS. Immutable and thread-safe.
 */
final class TrustedProxies {

  /** Trusts nobody: every incoming forwarding header is dropped. */
  static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of(), "");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?");

  private final List<Block> blocks;
  private final List<String> entries;
  private final String text;

  private TrustedProxies(List<Block> blocks, List<String> entries, String text) {
    this.blocks = List.copyOf(blocks);
    this.entries = List.copyOf(entries);
    this.text = text;
  }

  /**
   * @param text addresses and CIDR blocks separated by commas or line breaks (the shared list
   *     grammar, {@link SettingParsers#list}), e.g. {@code 10.0.0.0/8, ::1}; blank means none
   * @throws IllegalArgumentException naming the first entry that is not an address literal or CIDR
   *     block
   */
  static TrustedProxies parse(String text) {
    List<Block> blocks = new ArrayList<>();
    List<String> entries = SettingParsers.list(text);
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      String address = slash < 0 ? entry : entry.substring(0, slash);
      byte[] bytes = literal(address);
      if (bytes == null) {
        throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
      }
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length");
        }
      }
      blocks.add(new Block(bytes, prefix));
    }
    return blocks.isEmpty() ? NONE : new TrustedProxies(blocks, entries, text.trim());
  }

  /**
   * @param peerAddress the direct peer as the container reports it ({@code getRemoteAddr()}), may
   *     be {@code null} or bracketed
   * @return whether the peer lies in one of the configured blocks; {@code false} for anything
   *     unparsable
   */
  boolean contains(@Nullable String peerAddress) {
    if (blocks.isEmpty() || peerAddress == null) {
      return false;
    }
    String address =
        peerAddress.startsWith("[") && peerAddress.endsWith("]")
            ? peerAddress.substring(1, peerAddress.length() - 1)
            : peerAddress;
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Block block : blocks) {
      if (block.matches(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The addresses and blocks as written, in order. */
  List<String> entries() {
    return entries;
  }

  /** The configuration text this was parsed from, for diagnostics. */
  @Override
  public String toString() {
    return text;
  }

  /** Parses an address literal without any name lookup; {@code null} if it is not one. */
  private static byte @Nullable [] literal(String address) {
    // InetAddress.getByName resolves names through DNS; only hand it strings that are literals.
    boolean v4 = IPV4.matcher(address).matches() && octetsInRange(address);
    boolean v6 = address.indexOf(':') >= 0 && IPV6.matcher(address).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      // An IPv4-mapped IPv6 literal comes back as 4 bytes, which is what we compare anyway.
      return bytes;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean octetsInRange(String dotted) {
    for (String octet : dotted.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  private static final class Block {
    private final byte[] network;
    private final int prefix;

    Block(byte[] network, int prefix) {
      this.network = network;
      this.prefix = prefix;
    }

    boolean matches(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
