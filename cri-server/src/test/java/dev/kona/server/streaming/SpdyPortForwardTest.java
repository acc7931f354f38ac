package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Port-forward over SPDY (portforward.k8s.io) to a real loopback TCP server. */
class SpdyPortForwardTest {

  private static final List<String> OFFER = List.of("portforward.k8s.io");

  private final StreamingFixture fixture = new StreamingFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private SpdyTestClient.Stream[] pair(SpdyTestClient client, int port, String requestId) {
    SpdyTestClient.Stream error = client.open(
        Map.of("streamType", "error", "port", Integer.toString(port), "requestID", requestId));
    SpdyTestClient.Stream data = client.open(
        Map.of("streamType", "data", "port", Integer.toString(port), "requestID", requestId));
    return new SpdyTestClient.Stream[] {error, data};
  }

  @Test
  void forward_roundTripManyConcurrentConnections() throws Exception {
    try (EchoServer echo = new EchoServer()) {
      URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
      try (SpdyTestClient client = SpdyTestClient.connect(url, OFFER)) {
        assertEquals("portforward.k8s.io", client.protocol());
        List<SpdyTestClient.Stream[]> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          pairs.add(pair(client, echo.port(), Integer.toString(i)));
        }
        for (int i = 0; i < pairs.size(); i++) {
          client.send(pairs.get(i)[1], "request " + i);
          client.finish(pairs.get(i)[1]);
        }
        for (int i = 0; i < pairs.size(); i++) {
          assertEquals("request " + i, pairs.get(i)[1].awaitText());
          assertEquals("", pairs.get(i)[0].awaitText());
        }
        assertEquals(20, echo.accepted.get());
      }
    }
  }

  @Test
  void forward_spdyTunnelledInWebSocket_roundTrip() throws Exception {
    try (EchoServer echo = new EchoServer()) {
      URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
      try (SpdyTestClient client = SpdyTestClient.connectTunnel(url)) {
        assertEquals("SPDY/3.1+portforward.k8s.io", client.protocol());
        SpdyTestClient.Stream[] first = pair(client, echo.port(), "1");
        SpdyTestClient.Stream[] second = pair(client, echo.port(), "2");
        byte[] big = new byte[1 << 20];
        new java.util.Random(7).nextBytes(big);
        for (int off = 0; off < big.length; off += 32 * 1024) {
          // 32 KiB writes, as Go's io.Copy makes them.
          client.send(first[1], java.util.Arrays.copyOfRange(big, off, off + 32 * 1024));
        }
        client.finish(first[1]);
        client.send(second[1], "tunnelled");
        client.finish(second[1]);
        assertEquals("tunnelled", second[1].awaitText());
        first[1].awaitText();
        synchronized (first[1]) {
          org.junit.jupiter.api.Assertions.assertArrayEquals(big, first[1].data.toByteArray());
        }
      }
    }
  }

  @Test
  void forward_64MiBEchoedIntact_printsThroughput() throws Exception {
    long size = 64L * 1024 * 1024;
    try (EchoServer echo = new EchoServer()) {
      URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
      try (SpdyTestClient client = SpdyTestClient.connect(url, OFFER)) {
        SpdyTestClient.Stream[] streams = pair(client, echo.port(), "0");
        // Room for a few chunks in flight, so the sender's polling does not set the pace.
        client.channel.config().setWriteBufferWaterMark(
            new io.netty.channel.WriteBufferWaterMark(1 << 20, 4 << 20));
        java.util.zip.CRC32 received = new java.util.zip.CRC32();
        java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        streams[1].consumer = buf -> {
          count.addAndGet(buf.readableBytes());
          received.update(buf.nioBuffer());
        };
        java.util.zip.CRC32 sentCrc = new java.util.zip.CRC32();
        java.util.Random random = new java.util.Random(42);
        byte[] chunk = new byte[32 * 1024];
        long start = System.nanoTime();
        for (long sent = 0; sent < size; ) {
          if (!client.channel.isWritable()) {
            Thread.sleep(1);
            continue;
          }
          random.nextBytes(chunk);
          sentCrc.update(chunk);
          client.send(streams[1], chunk.clone());
          sent += chunk.length;
        }
        client.finish(streams[1]);
        streams[1].finished.get(60, java.util.concurrent.TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(size, count.get());
        assertEquals(sentCrc.getValue(), received.getValue());
        System.out.printf("port-forward: %d MiB echoed in %.2f s = %.0f MiB/s each way%n",
            size >> 20, seconds, (size >> 20) / seconds);
      }
    }
  }

  @Test
  void forward_withoutRequestId_pairsByStreamId() throws Exception {
    try (EchoServer echo = new EchoServer()) {
      URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
      try (SpdyTestClient client = SpdyTestClient.connect(url, OFFER)) {
        String port = Integer.toString(echo.port());
        SpdyTestClient.Stream error = client.open(Map.of("streamType", "error", "port", port));
        SpdyTestClient.Stream data = client.open(Map.of("streamType", "data", "port", port));
        client.send(data, "old client");
        client.finish(data);
        assertEquals("old client", data.awaitText());
        assertEquals("", error.awaitText());
      }
    }
  }

  @Test
  void forward_unreachablePort_errorStreamSaysWhy() throws Exception {
    int port = EchoServer.closedPort();
    URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
    try (SpdyTestClient client = SpdyTestClient.connect(url, OFFER)) {
      SpdyTestClient.Stream[] streams = pair(client, port, "0");
      String error = streams[0].awaitText();
      assertTrue(error.startsWith("error forwarding port " + port + " to pod sandbox sandbox:"),
          error);
      assertTrue(error.contains("Connection refused"), error);
      streams[1].finished.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(streams[1].reset, "data stream reset");
    }
    assertEquals(List.of(port), fixture.runtime.dialled);
  }

  @Test
  void forward_dataStreamNeverOpened_errorAfterCreationTimeout() throws Exception {
    try (StreamingFixture quick = new StreamingFixture(
        new StreamingConfig(null, 0, null, null, 0, 0, 0, 1))) {
      URI url = quick.server.register(new PortForwardSpec("sandbox", List.of()));
      try (SpdyTestClient client = SpdyTestClient.connect(url, OFFER)) {
        SpdyTestClient.Stream error = client.open(
            Map.of("streamType", "error", "port", "80", "requestID", "9"));
        assertEquals("timed out waiting for the data stream of request 9", error.awaitText());
      }
      assertTrue(quick.runtime.dialled.isEmpty());
    }
  }

  @Test
  void forward_badPortHeader_streamRefused() throws Exception {
    URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
    try (SpdyTestClient client = SpdyTestClient.connect(url, OFFER)) {
      SpdyTestClient.Stream bad = client.open(Map.of("streamType", "data", "port", "0"));
      bad.finished.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(bad.reset);
    }
    assertTrue(fixture.runtime.dialled.isEmpty());
  }

  @Test
  void connect_commandProtocol_403() throws Exception {
    URI url = fixture.server.register(new PortForwardSpec("sandbox", List.of()));
    try (SpdyTestClient client = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      assertEquals(403, client.response.status().code());
      assertEquals("portforward.k8s.io",
          client.response.headers().get("X-Accepted-Stream-Protocol-Versions"));
    }
  }
}
