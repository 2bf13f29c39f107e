package dev.oidcgate.oidcprovider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    requireTool("node");
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

  private static void requireTool(String tool) throws IOException, InterruptedException {
    Process p = start(new ProcessBuilder(tool, "--version").redirectErrorStream(true), tool);
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(tool + " --version failed: " + missing());
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
