package dev.oidcgate.oidc.testsupport;

import dev.oidcgate.testserver.Closer;
import jakarta.servlet.Filter;
import java.util.Map;

/**
 * Starts the {@link FilterServer}s of one test, each configured by the test, and closes them all,
 * the last started first, when the test ends (see {@link FilterServerExtension}). Other stand-ins a
 * test must configure before starting ({@link ProviderStandIn}, {@link GraphStandIn}) are handed to
 * {@link #closeAfter} to be closed with them.
 */
public final class FilterServers implements AutoCloseable {

  private final Closer started = new Closer();

  /** See {@link FilterServer#FilterServer(Map)}. */
  public FilterServer start(Map<String, String> initParams) throws Exception {
    return closeAfter(new FilterServer(initParams));
  }

  /** See {@link FilterServer#lenientUris(Map)}. */
  public FilterServer lenientUris(Map<String, String> initParams) throws Exception {
    return closeAfter(FilterServer.lenientUris(initParams));
  }

  /** See {@link FilterServer#https(Map)}. */
  public FilterServer https(Map<String, String> initParams) throws Exception {
    return closeAfter(FilterServer.https(initParams));
  }

  /** See {@link FilterServer#withFilter(Filter)}. */
  public FilterServer withFilter(Filter filter) throws Exception {
    return closeAfter(FilterServer.withFilter(filter));
  }

  /** See {@link FilterServer#withFilters(Map)}. */
  public FilterServer withFilters(Map<String, Map<String, String>> initParamsByPattern)
      throws Exception {
    return closeAfter(FilterServer.withFilters(initParamsByPattern));
  }

  /** {@code standIn}, to be closed with the filter servers. */
  public <T extends AutoCloseable> T closeAfter(T standIn) {
    return started.register(standIn);
  }

  /** Closes everything started so far, the last first; again does nothing. */
  @Override
  public void close() {
    started.close();
  }
}
