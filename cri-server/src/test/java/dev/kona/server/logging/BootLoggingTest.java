package dev.kona.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class BootLoggingTest {

  @Test
  void autoConfig_noXmlOnTheClasspath() {
    // logback.xml would make logback load Joran and the JDK's SAX parser (~600 classes, ~2.5 MiB
    // of metaspace) only to read four lines before Logging.configure replaces them.
    assertNull(getClass().getClassLoader().getResource("logback.xml"));
  }

  @Test
  void autoConfig_stderrAtWarnAndKonaAtInfo() throws Exception {
    LoggerContext context = new LoggerContext();
    new ContextInitializer(context).autoConfig();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.WARN, root.getLevel());
    ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("stderr"));
    assertEquals("System.err", stderr.getTarget());
    assertEquals(Level.INFO, context.getLogger("dev.kona").getLevel());
    assertEquals(Level.ERROR, context.getLogger("io.netty.bootstrap.ServerBootstrap").getLevel());
    // Configured by Kona's own configurator, not from a file.
    assertTrue(context.getStatusManager().getCopyOfStatusList().stream()
        .noneMatch(s -> s.getMessage().contains("logback.xml")),
        () -> "logback read a file: " + context.getStatusManager().getCopyOfStatusList());
  }
}
