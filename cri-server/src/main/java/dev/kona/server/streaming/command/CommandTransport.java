package dev.kona.server.streaming.command;

import dev.kona.server.streaming.io.ConnectionFlow;
import io.netty.buffer.ByteBuf;

/** One client connection of a remote command, as SPDY or WebSocket carries it. Thread-safe. */
public interface CommandTransport {

  ConnectionFlow flow();

  /** Sends a chunk of stdout or stderr; takes ownership of {@code chunk}. */
  void send(CommandStream stream, ByteBuf chunk);

  /** Half-closes stdout or stderr where the protocol can (SPDY FIN). */
  void endOutput(CommandStream stream);

  /** Writes {@code status} (if not empty) on the error stream and closes the connection. */
  void finish(byte[] status);
}
