package dev.kona.server.streaming.spdy;

import dev.kona.server.streaming.io.PipelineNames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/1.1 upgrade to SPDY/3.1 that the Kubernetes clients send, with the {@code
 * X-Stream-Protocol-Version} negotiation: the first protocol the client offers that we serve
 * wins.
 */
public final class SpdyUpgrade {

  public static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";
  public static final String ACCEPTED_HEADER = "X-Accepted-Stream-Protocol-Versions";
  private static final String SPDY_3_1 = "SPDY/3.1";

  private SpdyUpgrade() {}

  /** True for {@code Connection: Upgrade} with {@code Upgrade: SPDY/3.1}. */
  public static boolean isSpdyUpgrade(HttpRequest request) {
    return connectionUpgrade(request)
        && SPDY_3_1.equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE, ""));
  }

  public static boolean connectionUpgrade(HttpRequest request) {
    for (String value : request.headers().getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        if (token.trim().equalsIgnoreCase("upgrade")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The protocols the client offers, in its order (repeated or comma-separated headers). */
  public static List<String> offered(HttpRequest request) {
    List<String> offered = new ArrayList<>();
    for (String value : request.headers().getAll(PROTOCOL_HEADER)) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          offered.add(token.trim());
        }
      }
    }
    return offered;
  }

  /** The first offered protocol that {@code served} contains, or null. */
  public static String negotiate(List<String> offered, List<String> served) {
    for (String candidate : offered) {
      if (served.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Answers 101 and turns the connection into a SPDY session served by {@code connection}. The
   * HTTP codec is removed only after the response went through it; bytes already read past the
   * request flow into the SPDY codec.
   */
  public static void upgrade(
      ChannelHandlerContext ctx, String protocol, SpdyConnection connection) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    response.headers().set(HttpHeaderNames.UPGRADE, SPDY_3_1);
    response.headers().set(PROTOCOL_HEADER, protocol);
    ctx.writeAndFlush(response);
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addAfter(PipelineNames.HTTP_CODEC, "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    pipeline.replace(ctx.name(), "spdy-session", connection);
    pipeline.remove(PipelineNames.HTTP_AGGREGATOR);
    pipeline.remove(PipelineNames.HTTP_CODEC);
  }
}
