package dev.oidcgate.oidcprovider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OP's npm dependencies ({@code oidc-provider}, pinned by {@code op/package-lock.json}) in
 * {@code op/node_modules}: installed with {@code npm ci} when missing or older than the lock file,
 * so a fresh clone needs nothing but Node.js 20 and npm on the {@code PATH} and the npm registry.
 * Done from the test rather than a Maven plugin so an IDE run of one IT does it too.
 */
final class OpDependencies {

  private OpDependencies() {}

  /**
   * Makes sure {@code op/node_modules} matches the lock file; {@code npm}'s output goes to {@code
   * log}.
   */
  static void ensureInstalled(Path op, Path log, Duration timeout)
      throws IOException, InterruptedException {
    requireNode();
    if (upToDate(op)) {
      return;
    }
    Files.createDirectories(log.getParent());
    Process npm =
        start(
            new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(op.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())),
            "npm");
    npm.getOutputStream().close();
    if (!npm.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      npm.descendants().forEach(ProcessHandle::destroyForcibly);
      npm.destroyForcibly();
      throw new IllegalStateException(
          "npm ci in " + op + " took longer than " + timeout + "; see " + log);
    }
    if (npm.exitValue() != 0 || !upToDate(op)) {
      throw new IllegalStateException(
          "npm ci in "
              + op
              + " failed (exit "
              + npm.exitValue()
              + "); its output:\n"
              + Files.readString(log));
    }
  }

  /**
   * {@code npm ci} writes {@code node_modules/.package-lock.json} last: newer than the lock file
   * means the install finished for this lock file.
   */
  private static boolean upToDate(Path op) throws IOException {
    Path installed = op.resolve("node_modules/.package-lock.json");
    return Files.isRegularFile(op.resolve("node_modules/oidc-provider/package.json"))
        && Files.isRegularFile(installed)
        && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(op.resolve("package-lock.json")))
            >= 0;
  }

  /** Node.js 20 or later: oidc-provider 9 needs its global fetch and Web Crypto. */
  private static void requireNode() throws IOException, InterruptedException {
    Process p = start(new ProcessBuilder("node", "--version").redirectErrorStream(true), "node");
    String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("node --version failed: " + missing());
    }
    Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
    if (!major.find() || Integer.parseInt(major.group(1)) < 20) {
      throw new IllegalStateException("node is " + version + ": " + missing());
    }
  }

  private static Process start(ProcessBuilder pb, String tool) {
    try {
      return pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(tool + " was not found on the PATH: " + missing(), e);
    }
  }

  private static String missing() {
    return String.join(
        " ",
        List.of(
            "samples/oidc-provider-it needs Node.js 20 or later (`node`) and `npm` on the PATH,",
            "and the npm registry to install oidc-provider once (`npm ci` in op/)."));
  }
}
