package dev.oidcgate.samples.tomcat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an operator would look at on a running JVM, read from outside it: the heap after a full GC
 * ({@code jcmd GC.run} and the JVM's GC log), its threads ({@code /proc/<pid>/task}) and its
 * established TCP connections by remote port ({@code /proc/<pid>/fd} and {@code /proc/net/tcp}).
 * Linux only, like the machines CI runs on.
 */
final class ProcessProbe {

  /**
   * {@code GC(40) Pause Full (Diagnostic Command) 46M->23M(84M) 283.674ms}: the size after, in MiB.
   */
  private static final Pattern FULL_GC = Pattern.compile("Pause Full \\([^)]*\\) \\d+M->(\\d+)M");

  private final long pid;
  private final Path jcmd;

  private final Path gcLog;

  /**
   * Probes process {@code pid}, whose JVM logs its collections to {@code gcLog} ({@link
   * #gcLogOption}).
   */
  ProcessProbe(long pid, Path gcLog) {
    this.pid = pid;
    this.gcLog = gcLog;
    this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
  }

  /**
   * MiB in use on the heap right after a full collection, from the JVM's own GC log: reading the
   * heap with a second command would count what the running app allocated in between.
   */
  long heapAfterFullGc() throws IOException, InterruptedException {
    long before = fullCollections().size();
    run("GC.run");
    List<Long> after = fullCollections();
    if (after.size() <= before) {
      throw new IllegalStateException("no full collection logged in " + gcLog);
    }
    return after.get(after.size() - 1);
  }

  private List<Long> fullCollections() throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.exists(gcLog)) {
      return out;
    }
    for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
      Matcher m = FULL_GC.matcher(line);
      if (m.find()) {
        out.add(Long.parseLong(m.group(1)));
      }
    }
    return out;
  }

  /** The JVM option that makes a JVM write the log this probe reads. */
  static String gcLogOption(Path gcLog) {
    return "-Xlog:gc:file=" + gcLog;
  }

  /** Live threads of the process, the JVM's own included. */
  int threads() throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return (int) tasks.count();
    }
  }

  /** Established TCP connections of the process whose remote end is {@code port} on loopback. */
  int establishedTo(int port) throws IOException {
    Set<String> inodes = socketInodes();
    int count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path, StandardCharsets.US_ASCII)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ... inode (field 9); state 01 is ESTABLISHED.
        if (f.length < 10 || !f[3].equals("01") || !inodes.contains(f[9])) {
          continue;
        }
        String remote = f[2];
        int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
        if (remotePort == port) {
          count++;
        }
      }
    }
    return count;
  }

  private Set<String> socketInodes() throws IOException {
    Set<String> out = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            out.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException e) {
          // The descriptor closed while we listed them.
        }
      }
    }
    return out;
  }

  private String run(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }
}
