package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamingConfigTest {

  // Configured as the daemon's config loader binds sections: snake_case, strict.
  private final TomlMapper toml = TomlMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  @Test
  void bind_tomlSection() throws Exception {
    StreamingConfig config = toml.readValue("""
        address = "0.0.0.0"
        port = 10010
        tls_cert_file = "/etc/kona/stream.crt"
        tls_key_file = "/etc/kona/stream.key"
        token_ttl_seconds = 30
        idle_timeout_seconds = 600
        max_in_flight = 50
        stream_creation_timeout_seconds = 10
        """, StreamingConfig.class);
    assertEquals(new StreamingConfig("0.0.0.0", 10010, Path.of("/etc/kona/stream.crt"),
        Path.of("/etc/kona/stream.key"), 30, 600, 50, 10), config);
    assertEquals(Duration.ofSeconds(30), config.tokenTtl());
  }

  @Test
  void defaults_loopbackFreePortContainerdTimeouts() {
    StreamingConfig config = StreamingConfig.defaults();
    assertEquals("127.0.0.1", config.address());
    assertEquals(0, config.port());
    assertEquals(Duration.ofMinutes(1), config.tokenTtl());
    assertEquals(Duration.ofHours(4), config.idleTimeout());
    assertEquals(1000, config.maxInFlight());
    assertEquals(Duration.ofSeconds(30), config.streamCreationTimeout());
  }

  @Test
  void new_certWithoutKeyOrNegativeTtl_invalid() {
    assertThrows(InvalidArgumentException.class,
        () -> new StreamingConfig(null, 0, Path.of("/c"), null, 0, 0, 0, 0));
    assertThrows(InvalidArgumentException.class,
        () -> new StreamingConfig(null, 0, null, null, -1, 0, 0, 0));
    assertThrows(InvalidArgumentException.class,
        () -> new StreamingConfig(null, 70000, null, null, 0, 0, 0, 0));
  }
}
