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
 * there): warms each up for 5 s, then prints the median CPU ns per call over 10 one-second windows.
 * Usage: {@code CpuTimeBench [name-substring]}.
 */
public final class CpuTimeBench {

  private CpuTimeBench() {}

  public static void main(String[] args) throws Exception {
    String only = args.length > 0 ? args[0] : "";
    TokenBenchmarks tokens = new TokenBenchmarks();
    tokens.setUp();
    RequestBenchmarks request = new RequestBenchmarks();
    request.setUp();
    ProxyHeaderBenchmarks proxy = new ProxyHeaderBenchmarks();
    proxy.setUp();
    Map<String, Callable<Object>> ops = new LinkedHashMap<>();
    ops.put("seenToken", tokens::seenToken);
    ops.put("accessRules", request::accessRules);
    ops.put("identityHeaders", request::identityHeaders);
    ops.put("requestHeaders", proxy::requestHeaders);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Map.Entry<String, Callable<Object>> op : ops.entrySet()) {
      if (!op.getKey().contains(only)) {
        continue;
      }
      run(op.getValue(), threads, 5_000_000_000L);
      double[] windows = new double[10];
      for (int i = 0; i < windows.length; i++) {
        windows[i] = run(op.getValue(), threads, 1_000_000_000L);
      }
      Arrays.sort(windows);
      System.out.printf(
          "%s\t%.0f\tns CPU/op (median of 10 windows; min %.0f, max %.0f)%n",
          op.getKey(), windows[5], windows[0], windows[9]);
    }
    tokens.tearDown();
  }

  /** Calls {@code op} for {@code cpuNanos} of this thread's CPU time; returns CPU ns per call. */
  private static double run(Callable<Object> op, ThreadMXBean threads, long cpuNanos)
      throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long calls = 0;
    int sink = 0;
    long now;
    do {
      for (int i = 0; i < 1000; i++) {
        sink += System.identityHashCode(op.call()) & 1;
      }
      calls += 1000;
      now = threads.getCurrentThreadCpuTime();
    } while (now - start < cpuNanos);
    if (sink == -1) {
      System.out.print("");
    }
    return (double) (now - start) / calls;
  }
}
