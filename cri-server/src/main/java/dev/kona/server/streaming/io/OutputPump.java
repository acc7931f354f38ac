package dev.kona.server.streaming.io;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;

/**
 * Copies a process's output to the client in chunks, one chunk in flight beyond what the
 * connection accepts: memory stays bounded however fast the process writes.
 */
public final class OutputPump {

  /** Large enough for throughput, small enough that many sessions stay cheap. */
  public static final int CHUNK = 32 * 1024;

  /** Where the chunks go; takes ownership of each buffer. */
  @FunctionalInterface
  public interface Sink {
    void send(ByteBuf chunk);
  }

  private OutputPump() {}

  /**
   * Copies until EOF or until the connection closes; returns the bytes copied, or -1 if the
   * connection closed first.
   */
  public static long copy(InputStream in, ConnectionFlow flow, Sink sink)
      throws IOException, InterruptedException {
    long total = 0;
    while (true) {
      if (!flow.awaitWritable()) {
        return -1;
      }
      ByteBuf chunk = flow.channel().alloc().heapBuffer(CHUNK);
      int n;
      try {
        n = chunk.writeBytes(in, CHUNK);
      } catch (IOException e) {
        chunk.release();
        if (!flow.channel().isActive()) {
          return -1;
        }
        throw e;
      }
      if (n < 0) {
        chunk.release();
        return total;
      }
      if (n == 0) {
        chunk.release();
        continue;
      }
      total += n;
      flow.traffic().sentToClient(n);
      sink.send(chunk);
    }
  }
}
