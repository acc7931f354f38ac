package dev.kona.image.registry;

import dev.kona.common.error.FailedPreconditionException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * HTTP clients for endpoints with trust of their own (hosts.toml {@code ca}, {@code skip_verify}),
 * one per distinct setting, made at the first pull that needs it and kept (a CA file that changes
 * gives a new setting only when its path does; the JDK client cannot reload its trust).
 */
final class EndpointClients {

  private static final Map<RegistryEndpoint.Tls, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private EndpointClients() {}

  /** {@code shared} for an endpoint with the default trust, else a client of its own. */
  static HttpClient forEndpoint(HttpClient shared, RegistryEndpoint endpoint) {
    if (endpoint.tls().isDefault()) {
      return shared;
    }
    return CLIENTS.computeIfAbsent(endpoint.tls(), tls -> HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(30))
        .sslContext(context(endpoint, tls))
        .build());
  }

  private static SSLContext context(RegistryEndpoint endpoint, RegistryEndpoint.Tls tls) {
    if (!tls.skipVerify()) {
      return TrustStores.sslContext(Map.of(endpoint.host(), tls.caFiles()));
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAnything()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new FailedPreconditionException("skip_verify for " + endpoint + ": " + e.getMessage(), e);
    }
  }

  /** skip_verify: any certificate, any name, as containerd's InsecureSkipVerify. */
  private static final class TrustAnything extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
