package dev.oidcgate.samples.tomcat;

/** Closes a test's servers in order: each one even when an earlier one fails; nulls skipped. */
final class Teardown {

  private Teardown() {}

  /** Closes each non-null resource in order and rethrows the first failure, the rest suppressed. */
  static void closeAll(AutoCloseable... resources) throws Exception {
    Exception first = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
