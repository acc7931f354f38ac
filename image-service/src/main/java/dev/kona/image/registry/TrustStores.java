package dev.kona.image.registry;

import dev.kona.common.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificates registry HTTPS trusts: the JDK's roots and the system bundle
 * ({@code /etc/ssl/certs/ca-certificates.crt}, where {@code update-ca-certificates} puts a site's own
 * CAs) for every host, and a registry's configured {@code ca_file} for that registry's host only.
 * The host is the one the connection was opened to ({@link SSLEngine#getPeerHost()}), so a CA given
 * for one registry never vouches for another, nor for a host a redirect leads to.
 *
 * <p>Keys are {@code host[:port]} as in {@code images.registries}: {@code host:port} matches that
 * port only, a bare {@code host} matches it on the default port 443.
 */
public final class TrustStores {

  public static final Path SYSTEM_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

  private TrustStores() {}

  /** A context trusting the common roots everywhere and each host's extra CA files on that host. */
  public static SSLContext sslContext(Map<String, List<Path>> extraCaFilesByHost) {
    try {
      List<Certificate> common = commonRoots();
      X509ExtendedTrustManager everywhere = trustManager(common, List.of());
      Map<String, X509ExtendedTrustManager> perHost = new HashMap<>();
      for (Map.Entry<String, List<Path>> host : extraCaFilesByHost.entrySet()) {
        if (!host.getValue().isEmpty()) {
          perHost.put(key(host.getKey()), trustManager(common, host.getValue()));
        }
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new PerHost(everywhere, Map.copyOf(perHost))}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidArgumentException("load registry CA certificates: " + e.getMessage(), e);
    }
  }

  private static List<Certificate> commonRoots() throws GeneralSecurityException, IOException {
    List<Certificate> roots = new java.util.ArrayList<>();
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    for (var manager : jdk.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        roots.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    if (Files.isReadable(SYSTEM_BUNDLE)) {
      roots.addAll(read(SYSTEM_BUNDLE));
    }
    return roots;
  }

  private static X509ExtendedTrustManager trustManager(List<Certificate> common, List<Path> extraCaFiles)
      throws GeneralSecurityException, IOException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    int n = 0;
    for (Certificate cert : common) {
      trusted.setCertificateEntry("common-" + n++, cert);
    }
    for (Path file : extraCaFiles) {
      for (Certificate cert : read(file)) {
        trusted.setCertificateEntry("configured-" + n++, cert);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static String key(String hostAndPort) {
    String key = hostAndPort.toLowerCase(Locale.ROOT);
    return key.endsWith(":443") ? key.substring(0, key.length() - 4) : key;
  }

  private static Collection<? extends Certificate> read(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new InvalidArgumentException("load CA file " + file + ": no PEM certificates in it");
      }
      return certs;
    }
  }

  /** Picks the trust manager of the host the connection is to; the JDK's checks (hostname included) do the rest. */
  private static final class PerHost extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager everywhere;
    private final Map<String, X509ExtendedTrustManager> perHost;

    PerHost(X509ExtendedTrustManager everywhere, Map<String, X509ExtendedTrustManager> perHost) {
      this.everywhere = everywhere;
      this.perHost = perHost;
    }

    private X509ExtendedTrustManager forPeer(String host, int port) {
      if (host == null) {
        return everywhere;
      }
      String name = host.toLowerCase(Locale.ROOT);
      String withPort = port <= 0 || port == 443 ? name : name + ":" + port;
      return perHost.getOrDefault(withPort, everywhere);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      forPeer(engine == null ? null : engine.getPeerHost(), engine == null ? -1 : engine.getPeerPort())
          .checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      X509ExtendedTrustManager manager = everywhere;
      if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
        manager = forPeer(ssl.getHandshakeSession().getPeerHost(), ssl.getHandshakeSession().getPeerPort());
      }
      manager.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      everywhere.checkServerTrusted(chain, authType); // no peer known: only the roots every host trusts
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("registry connections do not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("registry connections do not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("registry connections do not accept clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return everywhere.getAcceptedIssuers();
    }
  }
}
