package dev.kona.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.kona.server.config.LogConfig;

/**
 * Logback's configuration until the daemon has read its own and calls {@link Logging#configure}:
 * the same stderr text format at info. Found through {@code META-INF/services} before logback
 * looks for a {@code logback.xml}, so the daemon never loads Joran and the JDK's XML parser (about
 * 600 classes and 2.5 MiB of metaspace) to read a few lines.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class BootLogging extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logging.configure(context, new LogConfig("info", LogConfig.Format.TEXT));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
