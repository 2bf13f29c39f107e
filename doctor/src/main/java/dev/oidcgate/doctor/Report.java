package dev.oidcgate.doctor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The lines of one run: one per check, with a fix for each failure and warning, then the tally and
 * the exit status. Not thread-safe.
 */
final class Report {

  /** How a check came out. */
  enum Status {
    PASS,
    WARN,
    FAIL,
    INFO
  }

  /** One check's line. */
  record Line(Status status, String check, String detail, @Nullable String fix) {}

  private final List<Line> lines = new ArrayList<>();
  private final PrintStream out;

  Report(PrintStream out) {
    this.out = out;
  }

  void pass(String check, String detail) {
    add(new Line(Status.PASS, check, detail, null));
  }

  void info(String check, String detail) {
    add(new Line(Status.INFO, check, detail, null));
  }

  void warn(String check, String detail, String fix) {
    add(new Line(Status.WARN, check, detail, fix));
  }

  void fail(String check, String detail, String fix) {
    add(new Line(Status.FAIL, check, detail, fix));
  }

  private void add(Line line) {
    lines.add(line);
    out.println("  " + line.status() + "  " + line.check() + ": " + line.detail());
    if (line.fix() != null) {
      out.println("        fix: " + line.fix());
    }
    out.flush();
  }

  List<Line> lines() {
    return List.copyOf(lines);
  }

  long count(Status status) {
    return lines.stream().filter(l -> l.status() == status).count();
  }

  /** The closing tally after a blank line, e.g. "Result: 12 passed, 1 warning, 0 failed". */
  void printResult() {
    long warned = count(Status.WARN);
    out.println();
    out.println(
        "Result: "
            + count(Status.PASS)
            + " passed, "
            + warned
            + (warned == 1 ? " warning, " : " warnings, ")
            + count(Status.FAIL)
            + " failed");
  }

  /** The exit status: 0 when no check failed, 1 when one did (scripts and CI read it). */
  int exitCode() {
    return count(Status.FAIL) == 0 ? 0 : 1;
  }
}
