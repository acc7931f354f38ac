package dev.kona.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/** An InputStream fed with chunks by another thread; an empty chunk marks the end. */
final class ChunkInputStream extends InputStream {
  private static final byte[] END = new byte[0];

  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private byte[] current;
  private int pos;
  private boolean ended;

  void offer(byte[] chunk) {
    if (chunk.length > 0) {
      chunks.add(chunk);
    }
  }

  void end() {
    chunks.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (current == null || pos == current.length) {
      if (ended) {
        return -1;
      }
      try {
        current = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("read attach stream");
      }
      pos = 0;
      if (current == END) {
        ended = true;
        return -1;
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }
}
