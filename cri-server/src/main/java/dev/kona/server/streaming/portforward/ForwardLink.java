package dev.kona.server.streaming.portforward;

import io.netty.buffer.ByteBuf;

/** The client side of one forwarded connection: a data stream and an error stream. */
public interface ForwardLink {

  /** Sends bytes that came from the port; takes ownership of {@code chunk}. */
  void sendData(ByteBuf chunk);

  /** The port closed its side. */
  void endData();

  /** Reports why the forward failed (dial refused, runtime error). */
  void sendError(String message);

  /** The forward is over; called exactly once, last. */
  void closed(boolean failed);
}
