package dev.kona.server.config;

/** The configuration cannot be used; the message names the source, the key and what was expected. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
