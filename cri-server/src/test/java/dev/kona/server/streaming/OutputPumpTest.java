package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Output back-pressure end to end: a fast process behind a slow client stalls instead of filling
 * the heap, and large output arrives complete. Prints throughput; asserts no timings.
 */
class OutputPumpTest {

  private static final byte[] LINE =
      "0123456789abcdefghijklmnopqrstuvwxyz\n".getBytes(StandardCharsets.US_ASCII);

  private final StreamingFixture fixture = new StreamingFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void copy_100MiBThroughOneExec_completeAndIntact() throws Exception {
    long size = 100L * 1024 * 1024;
    URI url = fixture.shell(StreamingFixture.out(),
        "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c " + size);
    CRC32 received = new CRC32();
    AtomicLong count = new AtomicLong();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peakHeap = new AtomicLong();
    Thread sampler = Thread.ofVirtual().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long start = System.nanoTime();
    try (SpdyTestClient client = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdout = client.open("stdout");
      stdout.consumer = buf -> {
        count.addAndGet(buf.readableBytes());
        received.update(buf.nioBuffer());
      };
      client.open("stderr");
      assertEquals(SpdyRemoteCommandTest.SUCCESS, error.awaitText());
      stdout.finished.get(30, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.interrupt();
    assertEquals(size, count.get());
    assertEquals(expectedCrc(size), received.getValue());
    System.out.printf("streaming exec: %d MiB in %.2f s = %.0f MiB/s; peak heap used %d MiB "
        + "(max %d MiB)%n", size >> 20, seconds, (size >> 20) / seconds, peakHeap.get() >> 20,
        memory.getHeapMemoryUsage().getMax() >> 20);
  }

  @Test
  void copy_100MiBOverWebSocketV5_completeAndIntact() throws Exception {
    long size = 100L * 1024 * 1024;
    URI url = fixture.shell(StreamingFixture.out(),
        "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c " + size);
    CRC32 received = new CRC32();
    AtomicLong count = new AtomicLong();
    java.io.ByteArrayOutputStream status = new java.io.ByteArrayOutputStream();
    long start = System.nanoTime();
    try (WebSocketTestClient client = WebSocketTestClient.connect(url, "v5.channel.k8s.io")) {
      client.consumer = (channel, payload) -> {
        if (channel == 1) {
          count.addAndGet(payload.readableBytes());
          received.update(payload.nioBuffer());
        } else if (channel == 3) {
          byte[] bytes = new byte[payload.readableBytes()];
          payload.readBytes(bytes);
          synchronized (status) {
            status.writeBytes(bytes);
          }
        }
      };
      client.awaitClosed();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(size, count.get());
    assertEquals(expectedCrc(size), received.getValue());
    synchronized (status) {
      assertEquals(SpdyRemoteCommandTest.SUCCESS, status.toString(StandardCharsets.UTF_8));
    }
    System.out.printf("streaming exec over WebSocket v5: %d MiB in %.2f s = %.0f MiB/s%n",
        size >> 20, seconds, (size >> 20) / seconds);
  }

  @Test
  void copy_clientStopsReading_processStallsThenResumes() throws Exception {
    long size = 256L * 1024 * 1024;
    URI url = fixture.shell(StreamingFixture.out(), "head -c " + size + " /dev/zero");
    AtomicLong count = new AtomicLong();
    try (SpdyTestClient client = SpdyTestClient.connect(url, SpdyRemoteCommandTest.KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdout = client.open("stdout");
      stdout.consumer = buf -> count.addAndGet(buf.readableBytes());
      client.open("stderr");
      client.channel.config().setAutoRead(false);
      SpdyRemoteCommandTest.await(() -> fixture.runtime.sessions.size() == 1);
      ProcessRuntime.Session session = fixture.runtime.sessions.getFirst();
      long stalled = awaitStable(session.stdoutRead);
      System.out.printf("slow client: process stalled after %d KiB read by the server%n",
          stalled >> 10);
      // Socket buffers on both ends plus Netty's 256 KiB high-water mark, far below the output.
      assertTrue(stalled < 32L * 1024 * 1024, "server read " + stalled + " bytes ahead");
      assertTrue(session.process.isAlive());
      client.channel.config().setAutoRead(true);
      assertEquals(SpdyRemoteCommandTest.SUCCESS, error.awaitText());
      stdout.finished.get(30, TimeUnit.SECONDS);
    }
    assertEquals(size, count.get());
  }

  /** Waits until the counter stops moving for half a second; returns its value. */
  private static long awaitStable(AtomicLong counter) throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 100; i++) {
      Thread.sleep(500);
      long now = counter.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("output never stalled; read " + counter.get());
  }

  private static long expectedCrc(long size) {
    CRC32 crc = new CRC32();
    byte[] block = new byte[LINE.length * 1024];
    for (int i = 0; i < 1024; i++) {
      System.arraycopy(LINE, 0, block, i * LINE.length, LINE.length);
    }
    long left = size;
    while (left > 0) {
      int n = (int) Math.min(left, block.length);
      crc.update(block, 0, n);
      left -= n;
    }
    return crc.getValue();
  }
}
