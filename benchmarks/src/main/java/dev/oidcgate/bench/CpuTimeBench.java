package dev.oidcgate.bench;

import dev.oidcgate.proxy.ProxyHeaderBenchmarks;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The JMH benchmarks' hot operations timed in this thread's CPU time rather than wall time, so the
 * number holds on a machine shared with other work (JMH's wall-clock averages swing several-fold
 * there): warms each up for 5 s, then prints the median CPU ns per call over 10 one-second windows
 * (taken in turn across the operations), and next to it the whole process's CPU per call (this
 * thread plus what it causes elsewhere: GC, a cache's maintenance on a pool). Usage: {@code
 * CpuTimeBench [name-substring]}; {@code -Dcpubench.warmup=SECONDS} and {@code
 * -Dcpubench.window=MILLIS} shorten a run.
 */
public final class CpuTimeBench {

  private static final int WINDOWS = 10;

  private CpuTimeBench() {}

  public static void main(String[] args) throws Exception {
    String only = args.length > 0 ? args[0] : "";
    long warmUp = Long.getLong("cpubench.warmup", 5) * 1_000_000_000L;
    long window = Long.getLong("cpubench.window", 1000) * 1_000_000L;
    TokenBenchmarks tokens = new TokenBenchmarks();
    tokens.setUp();
    SessionBenchmarks sessions = new SessionBenchmarks();
    sessions.setUp();
    RequestBenchmarks request = new RequestBenchmarks();
    request.setUp();
    ProxyHeaderBenchmarks proxy = new ProxyHeaderBenchmarks();
    proxy.setUp();
    StepBenchmarks steps = new StepBenchmarks();
    steps.setUp();
    Map<String, Callable<Object>> ops = new LinkedHashMap<>();
    ops.put("seenToken", tokens::seenToken);
    ops.put("newRs256", tokens::newRs256);
    ops.put("nimbusRs256", tokens::nimbusRs256);
    ops.put("newEs256", tokens::newEs256);
    ops.put("nimbusEs256", tokens::nimbusEs256);
    ops.put("sealSession", sessions::sealSession);
    ops.put("openSession", sessions::openSession);
    ops.put("accessRules", request::accessRules);
    ops.put("identityHeaders", request::identityHeaders);
    ops.put("requestHeaders", proxy::requestHeaders);
    ops.put("stepsBaseline", steps::stepsBaseline);
    ops.put("stepsAntiForgeryHeader", steps::stepsAntiForgeryHeader);
    ops.put("stepsUpstreamClientCached", steps::stepsUpstreamClientCached);
    ops.put("stepsUpstreamExchangeCached", steps::stepsUpstreamExchangeCached);
    ops.put("stepsDpopAccepted", steps::stepsDpopAccepted);
    ops.keySet().removeIf(name -> !name.contains(only));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Callable<Object> op : ops.values()) {
      run(op, threads, warmUp);
    }
    // Round robin: window i of every operation runs before window i + 1 of any, so operations that
    // are compared (ours vs Nimbus) see the same load on a shared machine.
    Map<String, double[]> cpu = new LinkedHashMap<>();
    Map<String, double[]> process = new LinkedHashMap<>();
    for (String name : ops.keySet()) {
      cpu.put(name, new double[WINDOWS]);
      process.put(name, new double[WINDOWS]);
    }
    for (int i = 0; i < WINDOWS; i++) {
      for (Map.Entry<String, Callable<Object>> op : ops.entrySet()) {
        long processBefore = processCpuNanos();
        long callsBefore = calls;
        cpu.get(op.getKey())[i] = run(op.getValue(), threads, window);
        process.get(op.getKey())[i] =
            (double) (processCpuNanos() - processBefore) / (calls - callsBefore);
      }
    }
    for (String name : ops.keySet()) {
      double[] windows = cpu.get(name);
      double[] all = process.get(name);
      Arrays.sort(windows);
      Arrays.sort(all);
      System.out.printf(
          "%s\t%.0f\tns CPU/op (median of %d windows; min %.0f, max %.0f; process %.0f)%n",
          name, windows[WINDOWS / 2], WINDOWS, windows[0], windows[WINDOWS - 1], all[WINDOWS / 2]);
    }
    tokens.tearDown();
    steps.tearDown();
  }

  private static long calls;

  /** Calls {@code op} for {@code cpuNanos} of this thread's CPU time; returns CPU ns per call. */
  private static double run(Callable<Object> op, ThreadMXBean threads, long cpuNanos)
      throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long n = 0;
    int sink = 0;
    long now;
    do {
      for (int i = 0; i < 100; i++) {
        sink += System.identityHashCode(op.call()) & 1;
      }
      n += 100;
      now = threads.getCurrentThreadCpuTime();
    } while (now - start < cpuNanos);
    if (sink == -1) {
      System.out.print("");
    }
    calls += n;
    return (double) (now - start) / n;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
