package dev.kona.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.server.config.ConfigLoader;
import dev.kona.server.config.KonaConfig;
import dev.kona.server.config.LogConfig;
import dev.kona.server.logging.Logging;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConfigReloadTest {

  @AfterEach
  void restoreLogging() {
    Logging.configure(new LogConfig("info", LogConfig.Format.TEXT));
  }

  @Test
  void apply_logLevel_takesEffectAtOnce_andOtherKeysAreKept() throws Exception {
    Logging.configure(new LogConfig("info", LogConfig.Format.TEXT));
    KonaConfig running = new ConfigLoader().load(null, Map.of("log.level", "info"));
    KonaConfig next = new ConfigLoader().load(null, Map.of("log.level", "debug", "shutdown_timeout_seconds", "3",
        "streaming.port", "10010"));
    assertFalse(LoggerFactory.getLogger("dev.kona.any").isDebugEnabled());
    KonaConfig inForce = ConfigReload.apply(running, next, null);
    assertTrue(LoggerFactory.getLogger("dev.kona.any").isDebugEnabled());
    assertEquals("debug", inForce.log().level());
    assertEquals(running.shutdownTimeoutSeconds(), inForce.shutdownTimeoutSeconds(), "needs a restart: kept");
    assertEquals(List.of("shutdown_timeout_seconds", "streaming"), ConfigReload.needingRestart(inForce, next));
  }
}
