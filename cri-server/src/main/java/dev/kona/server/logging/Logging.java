package dev.kona.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.kona.server.config.LogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Points the one logging backend (logback) at stderr with the configured level and format. */
public final class Logging {

  private Logging() {}

  public static void configure(LogConfig config) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    configure(context, config);
  }

  /** Adds the appender and levels to {@code context}, which has none yet. */
  static void configure(LoggerContext context, LogConfig config) {
    Encoder<ILoggingEvent> encoder =
        switch (config.format()) {
          case TEXT -> {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n%ex");
            yield text;
          }
          case JSON -> {
            JsonEncoder json = new JsonEncoder();
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithMDC(false);
            yield json;
          }
        };
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(appender);
    // Kona's own level as configured; libraries stay at warn so debug is about Kona.
    context.getLogger("dev.kona").setLevel(Level.toLevel(config.level(), Level.INFO));
    // grpc-netty asks every accepted connection for SO_KEEPALIVE, which unix sockets lack.
    context.getLogger("io.netty.bootstrap.ServerBootstrap").setLevel(Level.ERROR);
  }

  /** Kona's own level, changed in place (SIGHUP); the appender and format stay as they are. */
  public static void setLevel(String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger("dev.kona").setLevel(Level.toLevel(level, Level.INFO));
  }
}
