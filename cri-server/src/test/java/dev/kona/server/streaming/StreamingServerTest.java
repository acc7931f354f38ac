package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.ResourceExhaustedException;
import dev.kona.common.error.UnavailableException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URLs, tokens and protocol negotiation of the streaming server. */
class StreamingServerTest {

  private final StreamingFixture fixture = new StreamingFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void register_returnsAbsoluteUrlOnLoopbackFreePort() {
    URI url = fixture.shell(StreamingFixture.out(), "true");
    assertEquals("http", url.getScheme());
    assertEquals("127.0.0.1", url.getHost());
    assertTrue(url.getPort() > 0);
    assertTrue(url.getPath().matches("/exec/[A-Za-z0-9_-]{22}"), url.getPath());
    URI attach = fixture.server.register(new AttachSpec("c1", StreamingFixture.inOut()));
    assertTrue(attach.getPath().startsWith("/attach/"));
    URI pf = fixture.server.register(new PortForwardSpec("s1", List.of()));
    assertTrue(pf.getPath().startsWith("/portforward/"));
  }

  @Test
  void connect_reusedToken_404AndNoSecondSession() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "echo once");
    try (SpdyTestClient first = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = first.open("error");
      first.open("stdout");
      first.open("stderr");
      assertEquals(SpdyRemoteCommandTest.SUCCESS, error.awaitText());
    }
    try (SpdyTestClient second = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER,
        HttpMethod.GET)) {
      assertEquals(HttpResponseStatus.NOT_FOUND, second.response.status());
    }
    assertEquals(1, fixture.runtime.sessions.size());
  }

  @Test
  void connect_expiredToken_404AndSessionNeverStarts() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "echo late");
    fixture.advance(Duration.ofSeconds(61));
    try (SpdyTestClient client = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      assertEquals(HttpResponseStatus.NOT_FOUND, client.response.status());
    }
    assertTrue(fixture.runtime.sessions.isEmpty());
  }

  @Test
  void connect_tokenForAnotherRoute_404() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "true");
    URI wrong = url.resolve(url.getPath().replace("/exec/", "/attach/"));
    try (SpdyTestClient client = SpdyTestClient.connect(wrong,
        SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      assertEquals(HttpResponseStatus.NOT_FOUND, client.response.status());
    }
  }

  @Test
  void connect_firstClientOfferedProtocolWins() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "true");
    try (SpdyTestClient client = SpdyTestClient.connect(url,
        List.of("v9.channel.k8s.io, v3.channel.k8s.io", "v4.channel.k8s.io"))) {
      assertEquals(HttpResponseStatus.SWITCHING_PROTOCOLS, client.response.status());
      assertEquals("v3.channel.k8s.io", client.protocol());
    }
  }

  @Test
  void connect_noCommonProtocol_403WithAcceptedVersions() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "true");
    try (SpdyTestClient client = SpdyTestClient.connect(url, List.of("v9.channel.k8s.io"))) {
      assertEquals(HttpResponseStatus.FORBIDDEN, client.response.status());
      assertEquals(
          List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"),
          client.response.headers().getAll("X-Accepted-Stream-Protocol-Versions"));
    }
    assertTrue(fixture.runtime.sessions.isEmpty());
  }

  @Test
  void connect_noProtocolHeader_400() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "true");
    try (SpdyTestClient client = SpdyTestClient.connect(url, List.of())) {
      assertEquals(HttpResponseStatus.BAD_REQUEST, client.response.status());
    }
  }

  @Test
  void start_withTls_httpsUrlAndExecWorks(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.create(dir);
    try (StreamingFixture tls = new StreamingFixture(new StreamingConfig(null, 0, cert.certFile(),
        cert.keyFile(), 0, 0, 0, 0))) {
      URI url = tls.shell(StreamingFixture.out(), "echo over tls");
      assertEquals("https", url.getScheme());
      SslContext client = SslContextBuilder.forClient()
          .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
      try (SpdyTestClient spdy = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER,
          HttpMethod.POST, client)) {
        SpdyTestClient.Stream error = spdy.open("error");
        SpdyTestClient.Stream stdout = spdy.open("stdout");
        spdy.open("stderr");
        assertEquals(SpdyRemoteCommandTest.SUCCESS, error.awaitText());
        assertEquals("over tls\n", stdout.awaitText());
      }
    }
  }

  @Test
  void start_tlsKeyUnreadable_invalidArgument(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("c.pem"), "not a certificate");
    StreamingServer server = new StreamingServer(
        new StreamingConfig(null, 0, cert, cert, 0, 0, 0, 0), fixture.runtime,
        new SimpleMeterRegistry());
    assertThrows(InvalidArgumentException.class, server::start);
  }

  @Test
  void connection_idleTimeout_closedAndProcessKilled() throws Exception {
    try (StreamingFixture idle = new StreamingFixture(
        new StreamingConfig(null, 0, null, null, 0, 1, 0, 0))) {
      URI url = idle.exec(StreamingFixture.out(), "sleep", "1000");
      try (SpdyTestClient client = SpdyTestClient.connect(url,
          SpdyRemoteCommandTest.KUBECTL_OFFER)) {
        client.open("error");
        client.open("stdout");
        client.open("stderr");
        SpdyRemoteCommandTest.await(() -> idle.runtime.sessions.size() == 1);
        assertTrue(client.channel.closeFuture().await(10, TimeUnit.SECONDS));
        idle.runtime.sessions.getFirst().process.onExit().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void register_fullCache_resourceExhausted() {
    try (StreamingFixture small = new StreamingFixture(
        new StreamingConfig(null, 0, null, null, 0, 0, 2, 0))) {
      small.shell(StreamingFixture.out(), "true");
      small.shell(StreamingFixture.out(), "true");
      assertThrows(ResourceExhaustedException.class,
          () -> small.shell(StreamingFixture.out(), "true"));
    }
  }

  @Test
  void metrics_countSessionsBytesAndRejections() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "printf 12345; exec sleep 1000");
    var bytesOut = fixture.meters.get("kona.streaming.bytes").tag("direction", "to_client")
        .counter();
    var active = fixture.meters.get("kona.streaming.sessions.active").gauge();
    try (SpdyTestClient client = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      client.open("error");
      client.open("stdout");
      client.open("stderr");
      SpdyRemoteCommandTest.await(() -> bytesOut.count() == 5.0);
      assertEquals(1.0, active.value());
    }
    SpdyRemoteCommandTest.await(() -> active.value() == 0.0);
    try (SpdyTestClient again = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      assertEquals(HttpResponseStatus.NOT_FOUND, again.response.status());
    }
    assertEquals(1.0, fixture.meters.get("kona.streaming.sessions")
        .tags("route", "exec", "transport", "spdy").counter().count());
    assertEquals(1.0, fixture.meters.get("kona.streaming.rejected")
        .tag("reason", "not_found").counter().count());
  }

  @Test
  void register_afterClose_unavailable() {
    fixture.server.close();
    assertThrows(UnavailableException.class,
        () -> fixture.shell(StreamingFixture.out(), "true"));
  }

  @Test
  void start_portTaken_unavailable() {
    int port = fixture.server.baseUrl().getPort();
    StreamingServer second = new StreamingServer(
        new StreamingConfig("127.0.0.1", port, null, null, 0, 0, 0, 0), fixture.runtime,
        new SimpleMeterRegistry());
    assertThrows(UnavailableException.class, second::start);
    second.close();
  }

  @Test
  void close_endsOpenSessionsAndKillsProcesses() throws Exception {
    URI url = fixture.exec(StreamingFixture.out(), "sleep", "1000");
    SpdyTestClient client = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER);
    client.open("error");
    client.open("stdout");
    client.open("stderr");
    SpdyRemoteCommandTest.await(() -> fixture.runtime.sessions.size() == 1);
    fixture.server.close();
    ProcessRuntime.Session session = fixture.runtime.sessions.getFirst();
    session.process.onExit().get(10, TimeUnit.SECONDS);
    assertFalse(session.process.isAlive());
    client.close();
  }
}
