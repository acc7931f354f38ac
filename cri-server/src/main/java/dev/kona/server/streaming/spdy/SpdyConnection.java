package dev.kona.server.streaming.spdy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of a SPDY/3.1 session as the Kubernetes clients use it: the client opens every
 * stream (SYN_STREAM), we answer each with SYN_REPLY, DATA with FIN half-closes, RST_STREAM
 * resets, PINGs are echoed. Netty's {@code SpdyFrameCodec} does the framing and header
 * compression; this handler keeps the stream table and hands streams to the session's {@link
 * SpdyStreamHandler}. Runs on the event loop only.
 */
public final class SpdyConnection extends SimpleChannelInboundHandler<SpdyFrame> {

  private static final Logger log = LoggerFactory.getLogger(SpdyConnection.class);

  private final SpdyStreamHandler handler;
  private final Map<Integer, SpdyStream> streams = new HashMap<>();
  private int lastStreamId;

  public SpdyConnection(SpdyStreamHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
    switch (frame) {
      case SpdySynStreamFrame syn -> opened(ctx, syn);
      case SpdyDataFrame data -> {
        SpdyStream stream = streams.get(data.streamId());
        SpdyStream.Listener listener = stream == null ? null : stream.listener();
        if (listener == null) {
          return;
        }
        if (data.content().isReadable()) {
          listener.data(data.content().retain());
        }
        if (data.isLast()) {
          listener.end();
        }
      }
      case SpdyRstStreamFrame rst -> {
        SpdyStream stream = streams.remove(rst.streamId());
        if (stream != null) {
          stream.resetByPeer();
          if (stream.listener() != null) {
            stream.listener().end();
          }
        }
      }
      case SpdyPingFrame ping -> {
        // Client pings carry odd ids; ours would be even, and we send none.
        if ((ping.id() & 1) == 1) {
          ctx.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
        }
      }
      case SpdyGoAwayFrame goAway -> log.debug("client sent GOAWAY {}", goAway.status());
      default -> {
        // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do without flow control.
      }
    }
  }

  private void opened(ChannelHandlerContext ctx, SpdySynStreamFrame syn) {
    int id = syn.streamId();
    if (syn.isInvalid() || (id & 1) == 0 || id <= lastStreamId) {
      ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    lastStreamId = id;
    SpdyStream stream = new SpdyStream(id, syn.headers(), ctx.channel());
    streams.put(id, stream);
    SpdyStream.Listener listener = handler.opened(stream);
    if (listener == null) {
      streams.remove(id);
      ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.REFUSED_STREAM));
      return;
    }
    stream.listen(listener);
    // Go's spdystream reads a compressed header block in every SYN_REPLY and fails the session
    // on an empty one, which is what Netty encodes for no headers; echoing the stream's own
    // headers keeps the block non-empty.
    DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
    reply.headers().set(syn.headers());
    if (reply.headers().isEmpty()) {
      reply.headers().set("streamtype", "");
    }
    ctx.writeAndFlush(reply);
    if (syn.isLast()) {
      listener.end();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    for (SpdyStream stream : streams.values()) {
      if (stream.listener() != null) {
        stream.listener().end();
      }
    }
    streams.clear();
    handler.disconnected();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("close SPDY connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
