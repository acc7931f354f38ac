package dev.kona.image.registry;

import dev.kona.common.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates registry HTTPS trusts: the JDK's roots, the system bundle
 * ({@code /etc/ssl/certs/ca-certificates.crt}, where {@code update-ca-certificates} puts a site's own
 * CAs) and each registry's configured {@code ca_file}.
 */
public final class TrustStores {

  public static final Path SYSTEM_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

  private TrustStores() {}

  public static SSLContext sslContext(List<Path> extraCaFiles) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int n = 0;
      TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      for (var manager : jdk.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate root : x509.getAcceptedIssuers()) {
            trusted.setCertificateEntry("jdk-" + n++, root);
          }
        }
      }
      if (Files.isReadable(SYSTEM_BUNDLE)) {
        for (Certificate cert : read(SYSTEM_BUNDLE)) {
          trusted.setCertificateEntry("system-" + n++, cert);
        }
      }
      for (Path file : extraCaFiles) {
        for (Certificate cert : read(file)) {
          trusted.setCertificateEntry("configured-" + n++, cert);
        }
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidArgumentException("load registry CA certificates: " + e.getMessage(), e);
    }
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
}
