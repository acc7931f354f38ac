package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stdin back-pressure end to end: a process that does not read holds the client back. */
class InboundPipeTest {

  private final StreamingFixture fixture = new StreamingFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void offer_processNotReading_clientHeldBackThenEverythingDelivered() throws Exception {
    long size = 64L * 1024 * 1024;
    URI url = fixture.shell(StreamingFixture.inOut(), "sleep 4; wc -c");
    try (SpdyTestClient client = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdin = client.open("stdin");
      SpdyTestClient.Stream stdout = client.open("stdout");
      byte[] chunk = new byte[32 * 1024];
      long sent = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      // A polite client: it writes only while its connection takes more.
      while (sent < size && System.nanoTime() < deadline) {
        if (client.channel.isWritable()) {
          client.send(stdin, chunk);
          sent += chunk.length;
        } else {
          Thread.sleep(1);
        }
      }
      System.out.printf("stdin: client got %d KiB out while the process slept%n", sent >> 10);
      assertTrue(sent < 32L * 1024 * 1024, "server took " + sent + " bytes ahead of the process");
      while (sent < size) {
        if (client.channel.isWritable()) {
          client.send(stdin, chunk);
          sent += chunk.length;
        } else {
          Thread.sleep(1);
        }
      }
      client.finish(stdin);
      assertEquals(SpdyRemoteCommandTest.SUCCESS, error.awaitText());
      assertEquals(Long.toString(size), stdout.awaitText().trim());
    }
  }
}
