package dev.oidcgate.testlogs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Copies everything a module's test run writes to {@code System.out} and {@code System.err} (where
 * slf4j-simple writes) into one file, marks where each test class starts, and at the end writes the
 * {@link SecretLedger} and the list of test classes beside it, for {@link LogLeakCheck} to read in
 * the verify phase. Found by the JUnit Platform through {@code META-INF/services}, so every test
 * class of the run is covered without naming it; active only when the system property {@value
 * #CAPTURE_TO} names a folder (the module's surefire configuration sets it), so the failsafe run
 * that checks the files does not overwrite them.
 */
public final class TestLogCapture implements LauncherSessionListener {

  /** The system property naming the folder the files go to. */
  public static final String CAPTURE_TO = "oidcgate.testLogs.captureTo";

  static final String LOG_FILE = "test-output.log";
  static final String LEDGER_FILE = "ledger.tsv";
  static final String SUITES_FILE = "suites.txt";

  /** Starts a line that marks where a test class begins; never written by a test. */
  static final String SUITE_MARK = "#### test class ";

  private final Object lock = new Object();
  private final Set<String> suites = new TreeSet<>();
  private final Set<PrintStream> tees = Collections.newSetFromMap(new IdentityHashMap<>());
  private Path folder;
  private OutputStream file;
  private PrintStream originalOut;
  private PrintStream originalErr;
  private PrintStream teeOut;
  private PrintStream teeErr;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String to = System.getProperty(CAPTURE_TO);
    if (to == null || to.isBlank()) {
      return;
    }
    try {
      folder = Files.createDirectories(Path.of(to));
      // Unbuffered: a test may read the file while the run goes on (each log line is one write).
      file = Files.newOutputStream(folder.resolve(LOG_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    session.getLauncher().registerTestExecutionListeners(new Marker());
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (file == null) {
      return;
    }
    synchronized (lock) {
      if (System.out == teeOut) {
        System.setOut(originalOut);
      }
      if (System.err == teeErr) {
        System.setErr(originalErr);
      }
      try {
        file.close();
        SecretLedger.write(SecretLedger.snapshot(), folder.resolve(LEDGER_FILE));
        Files.write(folder.resolve(SUITES_FILE), List.copyOf(suites), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      file = null;
    }
  }

  /**
   * Puts the tee in front of the current streams unless it is there already. Called at each test
   * class: the test runner installs its own streams once the run starts, and a test that swapped
   * {@code System.err} and did not pass its output on would otherwise escape the capture.
   */
  private void teeStreams() {
    synchronized (lock) {
      if (file == null) {
        return;
      }
      if (tees.contains(System.out)) {
        teeOut = System.out;
      } else {
        originalOut = System.out;
        teeOut = tee(originalOut);
        System.setOut(teeOut);
      }
      if (tees.contains(System.err)) {
        teeErr = System.err;
      } else {
        originalErr = System.err;
        teeErr = tee(originalErr);
        System.setErr(teeErr);
      }
    }
  }

  private PrintStream tee(PrintStream original) {
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            copy(b, off, len);
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    PrintStream tee = new PrintStream(both, true, Charset.defaultCharset());
    tees.add(tee);
    return tee;
  }

  private void copy(byte[] b, int off, int len) {
    synchronized (lock) {
      if (file == null) {
        return;
      }
      try {
        file.write(b, off, len);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final class Marker implements TestExecutionListener {
    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
      teeStreams();
    }

    @Override
    public void executionStarted(TestIdentifier test) {
      if (test.getSource().orElse(null) instanceof ClassSource source) {
        teeStreams();
        synchronized (lock) {
          suites.add(source.getClassName());
          byte[] mark =
              ("\n" + SUITE_MARK + source.getClassName() + "\n").getBytes(StandardCharsets.UTF_8);
          copy(mark, 0, mark.length);
        }
      }
    }
  }
}
