package dev.kona.server.streaming.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.server.streaming.TerminalSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the resize stream: a sequence of {@code {"Width":80,"Height":24}} objects that may arrive
 * split across frames. Field names match case-insensitively, as Go's JSON decoder does.
 */
public final class ResizeDecoder {

  private static final JsonFactory FACTORY = new JsonFactory();

  private final JsonParser parser;
  private int depth;
  private String field;
  private int width;
  private int height;

  public ResizeDecoder() {
    try {
      parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("create resize parser", e);
    }
  }

  /** Feeds bytes (not retained) and returns the sizes completed by them. */
  public List<TerminalSize> feed(ByteBuf data) {
    byte[] bytes = ByteBufUtil.getBytes(data);
    List<TerminalSize> sizes = new ArrayList<>();
    try {
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
      JsonToken token;
      while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> {
            if (depth++ == 0) {
              width = 0;
              height = 0;
            }
          }
          case END_OBJECT, END_ARRAY -> {
            if (--depth == 0) {
              sizes.add(new TerminalSize(width, height));
            }
          }
          case FIELD_NAME -> field = parser.currentName();
          case VALUE_NUMBER_INT -> {
            if (depth == 1 && "width".equalsIgnoreCase(field)) {
              width = parser.getIntValue();
            } else if (depth == 1 && "height".equalsIgnoreCase(field)) {
              height = parser.getIntValue();
            }
          }
          default -> {}
        }
      }
    } catch (IOException e) {
      throw new InvalidArgumentException("decode resize event: " + e.getMessage(), e);
    }
    return sizes;
  }
}
