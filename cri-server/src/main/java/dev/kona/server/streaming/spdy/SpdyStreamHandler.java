package dev.kona.server.streaming.spdy;

/** A SPDY session's protocol: what to do with each stream the client opens. */
public interface SpdyStreamHandler {

  /** A stream the client opened; return how to consume it, or null to refuse (reset) it. */
  SpdyStream.Listener opened(SpdyStream stream);

  /** The connection closed (client went away, or we closed it). */
  void disconnected();
}
