package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Port-forward over WebSocket: channels 2i/2i+1, each opened with the port as uint16 LE. */
class WebSocketPortForwardTest {

  private final StreamingFixture fixture = new StreamingFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private static byte[] portPrefix(int port) {
    return new byte[] {(byte) port, (byte) (port >> 8)};
  }

  @Test
  void forward_twoPortsFromQuery_roundTrip() throws Exception {
    try (EchoServer a = new EchoServer(); EchoServer b = new EchoServer()) {
      URI base = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
      URI url = URI.create(base + "?port=" + a.port() + "," + b.port());
      try (WebSocketTestClient client = WebSocketTestClient.connect(url, "v4.channel.k8s.io")) {
        SpdyRemoteCommandTest.await(() -> client.messages.size() >= 4);
        for (int ch = 0; ch < 4; ch++) {
          int port = ch < 2 ? a.port() : b.port();
          int channel = ch;
          WebSocketTestClient.Message first = client.messages.stream()
              .filter(m -> m.channel() == channel).findFirst().orElseThrow();
          assertArrayEquals(portPrefix(port), first.payload(), "channel " + ch);
        }
        client.send(0, "to a");
        client.send(2, "to b");
        SpdyRemoteCommandTest.await(() -> client.text(0).endsWith("to a")
            && client.text(2).endsWith("to b"));
      }
    }
  }

  @Test
  void forward_portsFromRequestWhenQueryHasNone() throws Exception {
    try (EchoServer echo = new EchoServer()) {
      URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of(echo.port())));
      try (WebSocketTestClient client = WebSocketTestClient.connect(url, "v4.channel.k8s.io")) {
        client.send(0, "ping");
        SpdyRemoteCommandTest.await(() -> client.text(0).endsWith("ping"));
      }
    }
  }

  @Test
  void forward_unreachablePort_errorChannel() throws Exception {
    int port = EchoServer.closedPort();
    URI base = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
    try (WebSocketTestClient client = WebSocketTestClient.connect(
        URI.create(base + "?port=" + port), "v4.base64.channel.k8s.io")) {
      client.awaitClosed();
      byte[] channel = client.bytes(1);
      assertArrayEquals(portPrefix(port), java.util.Arrays.copyOf(channel, 2));
      String error = new String(channel, 2, channel.length - 2, StandardCharsets.UTF_8);
      assertTrue(error.contains("error forwarding port " + port), error);
      assertTrue(error.contains("Connection refused"), error);
      assertEquals(List.of(port), fixture.runtime.dialled);
    }
  }
}
