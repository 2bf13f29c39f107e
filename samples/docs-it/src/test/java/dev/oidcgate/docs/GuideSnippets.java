package dev.oidcgate.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of a Markdown guide as a reader copies them: each fenced block that directly
 * follows an HTML comment {@code <!-- docs-it: NAME -->} (invisible on the rendered page), by that
 * name. The marker, not the block's position, finds it, so the guide may be rewritten around it.
 */
public final class GuideSnippets {

  private static final Pattern MARKED_BLOCK =
      Pattern.compile(
          "<!-- docs-it: ([A-Za-z0-9.-]+) -->\\s*\\n```[A-Za-z]*\\n(.*?)\\n```", Pattern.DOTALL);

  private final Path file;
  private final Map<String, String> blocks;

  private GuideSnippets(Path file, Map<String, String> blocks) {
    this.file = file;
    this.blocks = blocks;
  }

  /** Reads {@code relativePath} (e.g. {@code docs/getting-started.md}) under {@link #root()}. */
  public static GuideSnippets of(String relativePath) throws IOException {
    Path file = root().resolve(relativePath);
    String text = Files.readString(file);
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher m = MARKED_BLOCK.matcher(text);
    while (m.find()) {
      if (blocks.put(m.group(1), m.group(2)) != null) {
        throw new IllegalStateException(file + " marks two blocks as " + m.group(1));
      }
    }
    return new GuideSnippets(file, blocks);
  }

  /** The repository's root directory (system property {@code guides.root}, set by the POM). */
  public static Path root() {
    String root = System.getProperty("guides.root");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException("System property guides.root is not set; run through Maven");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** The block marked {@code name}, exactly as written, without the fences. */
  public String block(String name) {
    String block = blocks.get(name);
    if (block == null) {
      throw new IllegalStateException(
          file + " has no fenced block after <!-- docs-it: " + name + " -->");
    }
    return block;
  }

  /** The whole file, for checks on the prose. */
  public String text() throws IOException {
    return Files.readString(file);
  }
}
