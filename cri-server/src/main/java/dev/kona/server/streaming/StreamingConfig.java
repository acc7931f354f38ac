package dev.kona.server.streaming;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code [streaming]} section of the daemon's TOML config. Zero or missing numbers take the
 * defaults of containerd and CRI-O (loopback, a free port, 1 minute tokens, 4 hour idle streams).
 *
 * @param address listen address; URLs handed to the kubelet name it, so it must be reachable
 * @param port listen port, 0 for a free one
 * @param tlsCertFile PEM certificate chain; with {@code tlsKeyFile} turns on https
 * @param tlsKeyFile PEM private key (PKCS#8)
 * @param tokenTtlSeconds how long a URL returned by Exec/Attach/PortForward stays usable
 * @param idleTimeoutSeconds a connection with no traffic either way for this long is closed
 * @param maxInFlight how many unused URLs may exist at once
 * @param streamCreationTimeoutSeconds how long a SPDY client may take to open its streams
 */
public record StreamingConfig(
    @JsonProperty("address") String address,
    @JsonProperty("port") int port,
    @JsonProperty("tls_cert_file") Path tlsCertFile,
    @JsonProperty("tls_key_file") Path tlsKeyFile,
    @JsonProperty("token_ttl_seconds") long tokenTtlSeconds,
    @JsonProperty("idle_timeout_seconds") long idleTimeoutSeconds,
    @JsonProperty("max_in_flight") int maxInFlight,
    @JsonProperty("stream_creation_timeout_seconds") long streamCreationTimeoutSeconds) {

  public static final String DEFAULT_ADDRESS = "127.0.0.1";
  public static final long DEFAULT_TOKEN_TTL_SECONDS = 60;
  public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 4 * 3600;
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
  public static final long DEFAULT_STREAM_CREATION_TIMEOUT_SECONDS = 30;

  public StreamingConfig {
    if (address == null || address.isBlank()) {
      address = DEFAULT_ADDRESS;
    }
    if (port < 0 || port > 65535) {
      throw new InvalidArgumentException("streaming config: port expected 0..65535, got " + port);
    }
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      throw new InvalidArgumentException(
          "streaming config: tls_cert_file and tls_key_file must be set together, got cert="
              + tlsCertFile
              + " key="
              + tlsKeyFile);
    }
    tokenTtlSeconds = orDefault("token_ttl_seconds", tokenTtlSeconds, DEFAULT_TOKEN_TTL_SECONDS);
    idleTimeoutSeconds =
        orDefault("idle_timeout_seconds", idleTimeoutSeconds, DEFAULT_IDLE_TIMEOUT_SECONDS);
    maxInFlight = (int) orDefault("max_in_flight", maxInFlight, DEFAULT_MAX_IN_FLIGHT);
    streamCreationTimeoutSeconds =
        orDefault(
            "stream_creation_timeout_seconds",
            streamCreationTimeoutSeconds,
            DEFAULT_STREAM_CREATION_TIMEOUT_SECONDS);
  }

  /** Loopback, a free port, no TLS, every other value at its default. */
  public static StreamingConfig defaults() {
    return new StreamingConfig(null, 0, null, null, 0, 0, 0, 0);
  }

  public boolean tls() {
    return tlsCertFile != null;
  }

  public Duration tokenTtl() {
    return Duration.ofSeconds(tokenTtlSeconds);
  }

  public Duration idleTimeout() {
    return Duration.ofSeconds(idleTimeoutSeconds);
  }

  public Duration streamCreationTimeout() {
    return Duration.ofSeconds(streamCreationTimeoutSeconds);
  }

  private static long orDefault(String key, long value, long fallback) {
    if (value < 0) {
      throw new InvalidArgumentException(
          "streaming config: " + key + " expected >= 0 (0 = default), got " + value);
    }
    return value == 0 ? fallback : value;
  }
}
