package dev.kona.image.unpack;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps a copy of the bytes read while recording is on. The tar reader reads entry headers through
 * it, so the raw PAX records (binary xattr values that Commons Compress decodes as UTF-8) can be
 * recovered byte for byte.
 */
final class RecordingInputStream extends FilterInputStream {

  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
  private boolean recording;

  RecordingInputStream(InputStream in) {
    super(in);
  }

  void start() {
    recorded.reset();
    recording = true;
  }

  byte[] stop() {
    recording = false;
    return recorded.toByteArray();
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (recording && b >= 0) {
      recorded.write(b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (recording && n > 0) {
      recorded.write(buffer, offset, n);
    }
    return n;
  }
}
