package dev.kona.server.streaming;

import java.io.InputStream;
import java.io.OutputStream;

/** One TCP connection the runtime dialled inside a sandbox, as blocking streams. */
public interface PortConnection extends AutoCloseable {

  /** Bytes from the port; EOF when the peer shut down its side. */
  InputStream input();

  /** Bytes to the port; writes block while the peer does not read. */
  OutputStream output();

  /** Half-close: the client finished sending (TCP FIN to the port). */
  void shutdownOutput();

  @Override
  void close();
}
