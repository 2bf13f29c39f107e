package dev.oidcgate.doctor;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.oidcgate.oidc.config.OidcConfigBuilder;
import dev.oidcgate.oidc.config.ProviderProfile;
import dev.oidcgate.oidc.http.HttpClient5Transport;
import dev.oidcgate.oidc.http.IdpTransport;
import dev.oidcgate.oidc.idp.IdpClient;
import dev.oidcgate.oidc.provider.JwksCache;
import dev.oidcgate.oidc.provider.ProviderDetection;
import dev.oidcgate.oidc.provider.ProviderMetadataSource;
import dev.oidcgate.oidc.web.FilterPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * oidc-gate-doctor: checks an OpenID provider for OIDC Gate with the filter's own code (discovery
 * by {@link ProviderMetadataSource}, keys by {@link JwksCache}, the token endpoint by {@link
 * IdpClient}, the configuration by {@link OidcConfigBuilder} and {@link FilterPaths}), prints one
 * line per check with a fix for each failure, then the configuration for this provider.
 *
 * <p>This class only reads the command line ({@code Options}) and runs the groups of checks in
 * order; each group is its own class writing to one {@code Report}, and {@code ConfigPrinter}
 * prints the configuration.
 */
public final class Doctor {

  private final Options options;
  private final PrintStream out;
  private final Report report;
  private final IdpTransport transport;

  private Doctor(Options options, PrintStream out, IdpTransport transport) {
    this.options = options;
    this.out = out;
    this.report = new Report(out);
    this.transport = transport;
  }

  /**
   * Runs the checks and exits: 0 when no check failed, 1 when one did, 2 on a usage error.
   *
   * @param args the command line; {@code --help} lists it
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System::getenv));
  }

  /**
   * Runs the checks, printing to {@code out}.
   *
   * @param env the environment ({@code OIDC_CLIENT_SECRET})
   * @return the exit status: 0 when no check failed, 1 when one did, 2 on a usage error
   */
  public static int run(String[] args, PrintStream out, UnaryOperator<@Nullable String> env) {
    if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(Options.USAGE);
      return args.length == 0 ? 2 : 0;
    }
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (IllegalArgumentException e) {
      out.println("oidc-gate-doctor: " + e.getMessage() + " (see --help)");
      return 2;
    }
    try (HttpClient5Transport transport =
        new HttpClient5Transport(Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20)) {
      return new Doctor(options, out, transport).check();
    } catch (IOException e) {
      return 1;
    }
  }

  private int check() {
    out.println("oidc-gate-doctor: checking " + options.issuer());
    Optional<Map<String, String>> config = checkAll();
    report.printResult();
    config.ifPresent(new ConfigPrinter(options, out)::print);
    return report.exitCode();
  }

  /**
   * The checks, in the order they are printed; the settings for this provider unless discovery
   * failed. Each group is its own class; this method only sequences them.
   */
  private Optional<Map<String, String>> checkAll() {
    DiscoveryCheck discovery = new DiscoveryCheck(options.issuer(), report, transport);
    DiscoveryCheck.Fetched fetched = discovery.fetch();
    if (fetched == null) {
      return Optional.empty();
    }
    // Refreshes of the filter's metadata source and key cache run here; stopped at the end.
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon());
    try {
      DiscoveryCheck.Loaded loaded = discovery.load(fetched, scheduler);
      if (loaded == null) {
        return Optional.empty();
      }
      OIDCProviderMetadata metadata = loaded.metadata();
      ClockCheck clock = new ClockCheck(report);
      clock.fromDateHeader(fetched.response(), fetched.sent(), fetched.received());
      new KeyCheck(report, transport).check(metadata, scheduler);
      MetadataCheck offered = new MetadataCheck(report);
      offered.flow(metadata);
      ProviderProfile profile =
          ProviderDetection.fromDiscovery(metadata).orElse(ProviderProfile.GENERIC);
      AppUrls urls = new AppUrls(options);
      new LogoutCheck(report, urls).check(metadata, profile);
      offered.extensions(metadata);
      Map<String, String> settings =
          FilterSettings.of(
              options,
              fetched.location().issuer().equals(options.issuer()),
              fetched.named(),
              profile);
      new ClientCheck(options, report, transport, clock, urls)
          .check(metadata, loaded.source(), settings);
      clock.unknown();
      report.info("provider profile", profile.text() + " (from the discovery document)");
      return Optional.of(settings);
    } finally {
      scheduler.shutdownNow();
    }
  }

  /** Daemon threads: a refresh still scheduled must not keep the JVM from exiting. */
  private static ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "oidc-gate-doctor");
      t.setDaemon(true);
      return t;
    };
  }
}
