package dev.kona.image.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) on 127.0.0.1 and
 * a free port, storage in a temp dir, started before the test class and stopped (by its PID) after.
 * Register with {@code @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();}.
 * {@link #stop()} and {@link #start()} let fault tests kill and restart it on the same port and data.
 *
 * <p>Needs the Debian package {@code docker-registry} (and {@code apache2-utils} for
 * {@link #withBasicAuth}).
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  public static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final String user;
  private final String password;
  private TokenIssuer tokenIssuer;
  private boolean tls;
  private TestCertificates certificates;
  private Path dir;
  private int port;
  private Process process;

  private LocalRegistry(String user, String password) {
    this.user = user;
    this.password = password;
  }

  public static LocalRegistry anonymous() {
    return new LocalRegistry(null, null);
  }

  /** A registry behind htpasswd basic auth (bcrypt, written by {@code htpasswd -B}). */
  public static LocalRegistry withBasicAuth(String user, String password) {
    return new LocalRegistry(user, password);
  }

  /** A registry behind token auth: clients get bearer tokens from {@code issuer}'s realm. */
  public static LocalRegistry withTokenAuth(TokenIssuer issuer) {
    LocalRegistry registry = new LocalRegistry(null, null);
    registry.tokenIssuer = issuer;
    return registry;
  }

  /** An anonymous registry serving HTTPS with a self-signed certificate ({@link #caFile()}). */
  public static LocalRegistry withTls() {
    LocalRegistry registry = new LocalRegistry(null, null);
    registry.tls = true;
    return registry;
  }

  /** The PEM certificate clients must trust (TLS registries only). */
  public Path caFile() {
    return certificates.certificatePem();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (dir == null) {
      open();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Creates the storage and config and starts the registry. */
  public LocalRegistry open() throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("LocalRegistry needs " + BINARY + ": apt-get install -y docker-registry");
    }
    dir = Files.createTempDirectory("kona-registry-");
    port = freePort();
    Files.writeString(dir.resolve("config.yml"), config(), StandardCharsets.UTF_8);
    start();
    return this;
  }

  private String config() throws IOException, InterruptedException {
    StringBuilder yml = new StringBuilder();
    yml.append("version: 0.1\n")
        .append("log:\n  level: warn\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
        .append("  secret: kona-test-secret\n");
    if (tls) {
      try {
        certificates = TestCertificates.selfSigned(dir);
      } catch (Exception e) {
        throw new IllegalStateException("make test certificate: " + e, e);
      }
      yml.append("  tls:\n    certificate: ").append(certificates.certificatePem()).append('\n')
          .append("    key: ").append(certificates.keyPem()).append('\n');
    }
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      Process p =
          new ProcessBuilder("htpasswd", "-B", "-b", "-c", htpasswd.toString(), user, password)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("htpasswd.log").toFile())
              .start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("htpasswd failed (apt-get install -y apache2-utils): " + Files.readString(dir.resolve("htpasswd.log")));
      }
      yml.append("auth:\n  htpasswd:\n    realm: kona-test\n    path: ").append(htpasswd).append('\n');
    }
    if (tokenIssuer != null) {
      Path bundle = dir.resolve("token-root.pem");
      Files.writeString(bundle, tokenIssuer.certificatePem());
      yml.append("auth:\n  token:\n    realm: ").append(tokenIssuer.realm()).append('\n')
          .append("    service: ").append(TokenIssuer.SERVICE).append('\n')
          .append("    issuer: ").append(TokenIssuer.ISSUER).append('\n')
          .append("    rootcertbundle: ").append(bundle).append('\n');
    }
    return yml.toString();
  }

  /** Starts the registry process (again, after {@link #stop()}) and waits until it answers. */
  public void start() throws IOException, InterruptedException {
    process =
        new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
            .start();
    HttpClient http = client();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(url() + "/v2/")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("docker-registry did not answer on " + url());
  }

  /** Kills the registry process (SIGKILL, by PID), keeping its data for {@link #start()}. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    stop();
    if (dir != null) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dir = null;
    }
  }

  /** {@code 127.0.0.1:<port>}: the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public String url() {
    return (tls ? "https://" : "http://") + host();
  }

  /** An HTTP client that reaches this registry (trusting its certificate when it has one). */
  HttpClient client() {
    HttpClient.Builder builder =
        HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
    if (tls) {
      try {
        builder.sslContext(certificates.trustingContext());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return builder.build();
  }

  public int port() {
    return port;
  }

  /** A pusher that speaks to this registry with its credentials. */
  public RegistryPusher pusher() {
    if (tokenIssuer != null) {
      return new RegistryPusher(url(), null, null, tokenIssuer, client());
    }
    return new RegistryPusher(url(), user, password, null, client());
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
