package dev.kona.image.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny token server for the registry's token auth: on loopback, it answers GET {@code /token}
 * (basic credentials required when configured) and the OAuth2 refresh-token POST with an RS256 JWT
 * whose {@code x5c} header carries a self-signed certificate (made with the JDK's keytool) that the
 * registry trusts through its {@code rootcertbundle}. Counts the tokens it issued.
 */
public final class TokenIssuer implements AutoCloseable {

  public static final String SERVICE = "kona-test-registry";
  public static final String ISSUER = "kona-test-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String user;
  private final String password;
  private final String refreshToken;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final HttpServer server;
  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> scopes = new ArrayList<>();

  private TokenIssuer(String user, String password, String refreshToken) throws Exception {
    this.user = user;
    this.password = password;
    this.refreshToken = refreshToken;
    Path dir = Files.createTempDirectory("kona-token-");
    Path store = dir.resolve("issuer.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "issuer", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=kona-test-issuer", "-validity", "3",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    if (keytool.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    this.key = (PrivateKey) keys.getKey("issuer", "changeit".toCharArray());
    this.certificate = (X509Certificate) keys.getCertificate("issuer");
    Files.delete(store);
    Files.delete(dir.resolve("keytool.log"));
    Files.delete(dir);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/token", this::handle);
    server.start();
  }

  /** Anyone may get a token. */
  public static TokenIssuer open() throws Exception {
    return new TokenIssuer(null, null, null);
  }

  /** Tokens only for {@code user}/{@code password} (basic) or the refresh token {@code identityToken}. */
  public static TokenIssuer requiring(String user, String password, String identityToken) throws Exception {
    return new TokenIssuer(user, password, identityToken);
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public String certificatePem() {
    try {
      return pem();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String pem() throws java.security.cert.CertificateEncodingException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  /** Tokens handed out over HTTP (the pusher's own tokens are not counted). */
  public int issuedCount() {
    return issued.get();
  }

  public synchronized List<String> scopes() {
    return List.copyOf(scopes);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params = new HashMap<>();
      parse(exchange.getRequestURI().getRawQuery(), params);
      if (exchange.getRequestMethod().equals("POST")) {
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
      }
      if (!authorised(exchange, params)) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String scope = params.getOrDefault("scope", "");
      issued.incrementAndGet();
      synchronized (this) {
        scopes.add(scope);
      }
      String[] parts = scope.split(":");
      String token = parts.length == 3 ? issue(parts[1], parts[2]) : issue("", "");
      byte[] body =
          JSON.writeValueAsBytes(Map.of("token", token, "access_token", token, "expires_in", 300));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private boolean authorised(HttpExchange exchange, Map<String, String> params) {
    if (user == null && refreshToken == null) {
      return true;
    }
    if (refreshToken != null && refreshToken.equals(params.get("refresh_token"))) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String expected =
        "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return user != null && expected.equals(header);
  }

  private static void parse(String query, Map<String, String> into) {
    if (query == null || query.isEmpty()) {
      return;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        into.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
  }

  /** A signed token granting {@code actions} (comma-separated) on {@code repository}. */
  public String issue(String repository, String actions) {
    try {
      ObjectNode header = JSON.createObjectNode();
      header.put("typ", "JWT");
      header.put("alg", "RS256");
      header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
      long now = Instant.now().getEpochSecond();
      ObjectNode claims = JSON.createObjectNode();
      claims.put("iss", ISSUER);
      claims.put("sub", user == null ? "anonymous" : user);
      claims.put("aud", SERVICE);
      claims.put("exp", now + 300);
      claims.put("nbf", now - 10);
      claims.put("iat", now);
      claims.put("jti", UUID.randomUUID().toString());
      if (!repository.isEmpty()) {
        ObjectNode access = claims.putArray("access").addObject();
        access.put("type", "repository");
        access.put("name", repository);
        var list = access.putArray("actions");
        for (String action : actions.split(",")) {
          list.add(action);
        }
      }
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String signingInput =
          url.encodeToString(JSON.writeValueAsBytes(header)) + "." + url.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + url.encodeToString(rsa.sign());
    } catch (Exception e) {
      throw new IllegalStateException("issue token: " + e, e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
