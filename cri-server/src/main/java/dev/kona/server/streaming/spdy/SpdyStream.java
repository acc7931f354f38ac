package dev.kona.server.streaming.spdy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client-opened SPDY stream. Writes may come from any thread; Netty orders them on the event
 * loop. The client does no SPDY flow control (moby/spdystream ignores windows), so neither do we:
 * TCP and {@link dev.kona.server.streaming.io.ConnectionFlow} carry the back-pressure.
 */
public final class SpdyStream {

  /** What the session does with the client's side of a stream; called on the event loop. */
  public interface Listener {
    /** Takes ownership of {@code data}. */
    void data(ByteBuf data);

    /** The client half-closed (FIN) or reset the stream. */
    void end();
  }

  private final int id;
  private final SpdyHeaders headers;
  private final Channel channel;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Listener listener;

  SpdyStream(int id, SpdyHeaders headers, Channel channel) {
    this.id = id;
    this.headers = headers;
    this.channel = channel;
  }

  public int id() {
    return id;
  }

  /** A header of the SYN_STREAM; SPDY/3 sends names in lower case, so {@code name} is lowered. */
  public String header(String name) {
    return headers.getAsString(name.toLowerCase(Locale.ROOT));
  }

  void listen(Listener listener) {
    this.listener = listener;
  }

  Listener listener() {
    return listener;
  }

  /** Sends data; takes ownership of {@code data}. */
  public void write(ByteBuf data) {
    if (finished.get()) {
      data.release();
      return;
    }
    channel.writeAndFlush(new DefaultSpdyDataFrame(id, data));
  }

  /** Half-closes our side with an empty DATA frame carrying FIN; later writes are dropped. */
  public void finish() {
    if (finished.compareAndSet(false, true)) {
      channel.writeAndFlush(new DefaultSpdyDataFrame(id, Unpooled.EMPTY_BUFFER).setLast(true));
    }
  }

  /** Writes {@code message} and then FIN. */
  public void finish(ByteBuf message) {
    if (finished.compareAndSet(false, true)) {
      channel.writeAndFlush(new DefaultSpdyDataFrame(id, message).setLast(true));
    } else {
      message.release();
    }
  }

  /** The client reset the stream: drop whatever we would still send on it. */
  void resetByPeer() {
    finished.set(true);
  }

  /** Closes both directions (RST_STREAM CANCEL). */
  public void reset() {
    if (finished.compareAndSet(false, true)) {
      channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
    }
  }

  @Override
  public String toString() {
    return "stream " + id + " " + headers.getAsString("streamtype");
  }
}
