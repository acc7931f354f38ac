package dev.kona.server.streaming.command;

/**
 * The five streams of a remote command. SPDY names them in a {@code streamType} header; WebSocket
 * numbers them in each message's first byte (the POSIX fd numbers, then error and resize).
 */
public enum CommandStream {
  STDIN("stdin"),
  STDOUT("stdout"),
  STDERR("stderr"),
  ERROR("error"),
  RESIZE("resize");

  private final String streamType;

  CommandStream(String streamType) {
    this.streamType = streamType;
  }

  public String streamType() {
    return streamType;
  }

  public byte channel() {
    return (byte) ordinal();
  }

  /** The stream a SPDY {@code streamType} header names, or null. */
  public static CommandStream ofStreamType(String type) {
    for (CommandStream s : values()) {
      if (s.streamType.equals(type)) {
        return s;
      }
    }
    return null;
  }

  /** The stream a WebSocket channel byte names, or null. */
  public static CommandStream ofChannel(int channel) {
    return channel >= 0 && channel < values().length ? values()[channel] : null;
  }
}
