package dev.kona.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An attach connection to a monitor. Frames both ways: one type byte, a 4-byte big-endian
 * length, the payload. A reader thread splits stdout and stderr into two streams and notes the
 * exit frame; writes go straight to the socket. Stdin writes after the session ended fail with an
 * {@link IOException}; closing stdin and resizing then do nothing.
 */
final class MonitorStdioSession implements StdioSession {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MonitorStdioSession.class);
  private static final int STDIN = 0, STDOUT = 1, STDERR = 2, EXIT = 3, CLOSE_STDIN = 4, RESIZE = 5;
  private static final int MAX_FRAME = 8192;

  private final MonitorClient client;
  private final ChunkInputStream stdout = new ChunkInputStream();
  private final ChunkInputStream stderr = new ChunkInputStream();
  private final Thread reader;
  private volatile String exitLine;

  private MonitorStdioSession(MonitorClient client) {
    this.client = client;
    this.reader = Thread.ofVirtual().name("kona-attach").start(this::readFrames);
  }

  static MonitorStdioSession open(Path stateDir) throws IOException {
    MonitorClient client = MonitorClient.connect(stateDir);
    String reply = client.request("attach");
    if (!"ok".equals(reply)) {
      client.close();
      throw new IOException("attach refused: " + reply);
    }
    return new MonitorStdioSession(client);
  }

  /** "code signal oom" from the exit frame, or null if the session ended before the exit. */
  String exitLine() {
    return exitLine;
  }

  void awaitEnd() throws InterruptedException {
    reader.join();
  }

  private void readFrames() {
    SocketChannel ch = client.channel();
    ByteBuffer header = ByteBuffer.allocate(5);
    try {
      while (true) {
        header.clear();
        if (!fill(ch, header)) {
          break;
        }
        int type = header.get(0);
        int len = header.getInt(1);
        if (len < 0 || len > MAX_FRAME) {
          break;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        if (!fill(ch, payload)) {
          break;
        }
        switch (type) {
          case STDOUT -> stdout.offer(payload.array());
          case STDERR -> stderr.offer(payload.array());
          case EXIT -> exitLine = new String(payload.array(), StandardCharsets.US_ASCII);
          default -> { }
        }
      }
    } catch (IOException ignored) {
      // the connection closed: both streams end below
    } finally {
      stdout.end();
      stderr.end();
    }
  }

  private static boolean fill(SocketChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        return false;
      }
    }
    return true;
  }

  private synchronized void frame(int type, byte[] data, int off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(5 + len);
    buf.put((byte) type).putInt(len).put(data, off, len).flip();
    while (buf.hasRemaining()) {
      client.channel().write(buf);
    }
  }

  /**
   * A control frame (close stdin, resize) on a session that may be over: once the process exited,
   * the monitor went, or the session was closed, there is nothing left to control.
   */
  private void control(int type, byte[] data) {
    try {
      frame(type, data, 0, data.length);
    } catch (IOException e) {
      LOG.debug("attach session: frame {} not delivered: {}", type, e.toString());
    }
  }

  @Override
  public OutputStream stdin() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        frame(STDIN, new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int done = 0; done < len; done += MAX_FRAME) {
          frame(STDIN, b, off + done, Math.min(MAX_FRAME, len - done));
        }
      }
    };
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public InputStream stderr() {
    return stderr;
  }

  @Override
  public void closeStdin() {
    control(CLOSE_STDIN, new byte[0]);
  }

  @Override
  public void resize(int columns, int rows) {
    byte[] size = {(byte) (columns >> 8), (byte) columns, (byte) (rows >> 8), (byte) rows};
    control(RESIZE, size);
  }

  @Override
  public void close() {
    client.close();
  }
}
