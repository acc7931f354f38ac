package dev.kona.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.KonaException;
import dev.kona.image.ImageConfig;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ImageService;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.testing.TestCertificates;
import dev.kona.image.testing.TestImageServices;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where registry credentials may go when a registry redirects: a tiny loopback server that speaks
 * TLS and plain HTTP on one port (it peeks at the first byte) asks for basic auth over https, then
 * redirects to plain http on the same host and port, or to another host name. It records every
 * request with its scheme and Authorization header.
 */
class RegistryRedirectTest {

  private static final String PASSWORD_HEADER =
      "Basic " + java.util.Base64.getEncoder().encodeToString("kona:s3cret".getBytes(StandardCharsets.UTF_8));

  @TempDir Path temp;
  private TwoFacedServer server;
  private ImageService images;

  record Seen(boolean tls, String host, String path, String authorization) {}

  @BeforeEach
  void start() throws Exception {
    server = new TwoFacedServer(TestCertificates.selfSigned(Files.createDirectories(temp.resolve("tls"))), temp.resolve("tls"));
  }

  @AfterEach
  void stop() throws Exception {
    if (images != null) {
      images.close();
    }
    server.close();
  }

  private void pull(String redirectTo) {
    server.redirectTo = redirectTo;
    String host = "127.0.0.1:" + server.port();
    String ca = temp.resolve("tls/cert.pem").toString();
    RegistryConfig config = new RegistryConfig(List.of(), true, false, "kona", "s3cret", null, null, ca);
    Map<String, RegistryConfig> registries =
        Map.of(host, config, "localhost:" + server.port(), RegistryConfig.trusting(ca)); // the same server, another name
    images = TestImageServices.open(temp.resolve("images"), ImageConfig.defaults().withRegistries(registries));
    assertThrows(KonaException.class, () -> images.pull(ImageReference.parse(host + "/private/app:1"), Credentials.NONE));
  }

  @Test
  void redirect_httpsToPlainHttpOnTheSameHost_neverSendsTheCredentials() {
    pull("http://127.0.0.1:" + server.port());
    assertTrue(server.seen.stream().anyMatch(s -> s.tls() && PASSWORD_HEADER.equals(s.authorization())), "basic auth over https: " + server.seen);
    List<Seen> plain = server.seen.stream().filter(s -> !s.tls()).toList();
    assertFalse(plain.isEmpty(), "the redirect to plain http was followed: " + server.seen);
    for (Seen request : plain) {
      assertEquals(null, request.authorization(), "Authorization sent in clear text: " + request);
    }
  }

  @Test
  void redirect_toAnotherHostName_neverSendsTheCredentials() {
    pull("https://localhost:" + server.port());
    List<Seen> other = server.seen.stream().filter(s -> s.host().startsWith("localhost")).toList();
    assertFalse(other.isEmpty(), "the redirect to the other host was followed: " + server.seen);
    for (Seen request : other) {
      assertEquals(null, request.authorization(), "Authorization sent to another host: " + request);
    }
  }

  /** One port, TLS or plain HTTP per connection; one request per connection. */
  static final class TwoFacedServer implements AutoCloseable {
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile String redirectTo;
    private final ServerSocket listener;
    private final SSLContext tls;
    private final Thread acceptor;

    TwoFacedServer(TestCertificates certificates, Path dir) throws Exception {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
        keys.load(in, "changeit".toCharArray());
      }
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, "changeit".toCharArray());
      tls = SSLContext.getInstance("TLS");
      tls.init(factory.getKeyManagers(), null, null);
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    int port() {
      return listener.getLocalPort();
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try (Socket socket = listener.accept()) {
          serve(socket);
        } catch (IOException e) {
          // a client that went away, or the listener closing
        }
      }
    }

    private void serve(Socket socket) throws IOException {
      socket.setSoTimeout(10_000);
      int first = socket.getInputStream().read();
      if (first < 0) {
        return;
      }
      InputStream consumed = new ByteArrayInputStream(new byte[] {(byte) first});
      if (first == 0x16) { // a TLS handshake record
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, consumed, true);
        secure.setUseClientMode(false);
        answer(true, secure.getInputStream(), secure.getOutputStream());
      } else {
        answer(false, new SequenceInputStream(consumed, socket.getInputStream()), socket.getOutputStream());
      }
    }

    private void answer(boolean secure, InputStream in, OutputStream out) throws IOException {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      String requestLine = reader.readLine();
      if (requestLine == null) {
        return;
      }
      String path = requestLine.split(" ")[1];
      String authorization = null;
      String host = "";
      for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Authorization")) {
          authorization = value;
        } else if (name.equalsIgnoreCase("Host")) {
          host = value;
        }
      }
      seen.add(new Seen(secure, host, path, authorization));
      String response;
      if (secure && host.startsWith("127.0.0.1") && authorization == null) {
        response = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"test\"\r\n";
      } else if (secure && host.startsWith("127.0.0.1")) {
        response = "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + redirectTo + path + "\r\n";
      } else {
        response = "HTTP/1.1 404 Not Found\r\n";
      }
      out.write((response + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    @Override
    public void close() throws Exception {
      listener.close();
      acceptor.join(5_000);
    }
  }
}
