package dev.kona.server.streaming;

import dev.kona.common.error.InvalidArgumentException;

/** A terminal's size in character cells, as a client's resize event carries it. */
public record TerminalSize(int width, int height) {

  public TerminalSize {
    if (width < 0 || width > 0xFFFF || height < 0 || height > 0xFFFF) {
      throw new InvalidArgumentException(
          "terminal size: width and height expected 0..65535, got " + width + "x" + height);
    }
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
