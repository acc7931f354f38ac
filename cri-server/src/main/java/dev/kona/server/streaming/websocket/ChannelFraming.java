package dev.kona.server.streaming.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.base64.Base64;
import io.netty.handler.codec.base64.Base64Dialect;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The {@code channel.k8s.io} message format: each message starts with its channel number. Binary
 * subprotocols carry the number as a byte and the payload raw; the {@code base64.} ones as an
 * ASCII digit followed by the payload in standard base64, in text messages.
 */
public final class ChannelFraming {

  /** v5's close signal: channel 255 with the half-closed channel as payload. */
  public static final int CLOSE_SIGNAL = 255;

  private final boolean base64;

  public ChannelFraming(boolean base64) {
    this.base64 = base64;
  }

  public static ChannelFraming forSubprotocol(String subprotocol) {
    return new ChannelFraming(subprotocol != null && subprotocol.contains("base64."));
  }

  /** One message on {@code channel}; takes ownership of {@code payload}. */
  public WebSocketFrame encode(int channel, ByteBuf payload) {
    if (!base64) {
      ByteBuf prefix = Unpooled.buffer(1).writeByte(channel);
      return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(prefix, payload));
    }
    try {
      ByteBuf encoded = Base64.encode(payload, false, Base64Dialect.STANDARD);
      ByteBuf prefix = Unpooled.buffer(1).writeByte('0' + channel);
      return new TextWebSocketFrame(Unpooled.wrappedBuffer(prefix, encoded));
    } finally {
      payload.release();
    }
  }

  /** A decoded message: its channel, and a payload the caller must release. Null if empty. */
  public record Message(int channel, ByteBuf payload) {}

  public Message decode(WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (!content.isReadable()) {
      return null;
    }
    int channel = content.readUnsignedByte();
    if (!base64 || channel == CLOSE_SIGNAL) {
      return new Message(channel, content.retainedSlice());
    }
    return new Message(channel - '0', Base64.decode(content, Base64Dialect.STANDARD));
  }
}
