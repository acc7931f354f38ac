package dev.kona.server;

import dev.kona.server.config.ConfigException;
import dev.kona.server.config.ConfigLoader;
import dev.kona.server.config.KonaConfig;
import dev.kona.server.logging.Logging;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code kona} command line: daemon, config default, version, help. */
public final class Main {

  private static final String USAGE =
      """
      Usage: kona <command> [flags]

      Commands:
        daemon           run the CRI runtime in the foreground
        config default   print the whole default configuration (TOML)
        version          print Kona's version
        --help           this text

      Daemon flags:
        --config PATH    config file (default /etc/kona/kona.toml, read if present)
        --KEY=VALUE      set any config key, dotted as in the file:
                         --socket=/run/kona/kona.sock --log.level=debug --metrics.enabled=false
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args)));
  }

  static int run(List<String> args) {
    if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h") || args.getFirst().equals("help")) {
      System.out.print(USAGE);
      return args.isEmpty() ? Daemon.EXIT_CONFIG : Daemon.EXIT_OK;
    }
    switch (args.getFirst()) {
      case "version" -> {
        System.out.println("kona " + BuildInfo.version() + " (CRI runtime.v1)");
        return Daemon.EXIT_OK;
      }
      case "config" -> {
        if (args.size() == 2 && args.get(1).equals("default")) {
          System.out.print(ConfigLoader.defaultsText());
          return Daemon.EXIT_OK;
        }
        System.err.println("kona config: expected `kona config default`");
        return Daemon.EXIT_CONFIG;
      }
      case "daemon" -> {
        return daemon(args.subList(1, args.size()));
      }
      default -> {
        System.err.println("kona: unknown command \"" + args.getFirst() + "\"\n\n" + USAGE);
        return Daemon.EXIT_CONFIG;
      }
    }
  }

  private static int daemon(List<String> args) {
    Path configFile = null;
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        System.err.println("kona daemon: unexpected argument \"" + arg + "\" (flags are --key=value)");
        return Daemon.EXIT_CONFIG;
      }
      String body = arg.substring(2);
      String key;
      String value;
      int eq = body.indexOf('=');
      if (eq >= 0) {
        key = body.substring(0, eq);
        value = body.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        key = body;
        value = args.get(++i);
      } else {
        System.err.println("kona daemon: flag --" + body + " needs a value");
        return Daemon.EXIT_CONFIG;
      }
      if (key.equals("config")) {
        configFile = Path.of(value);
      } else {
        flags.put(key, value);
      }
    }
    KonaConfig config;
    try {
      config = new ConfigLoader().load(configFile, flags);
    } catch (ConfigException e) {
      System.err.println("kona: " + e.getMessage());
      return Daemon.EXIT_CONFIG;
    }
    Logging.configure(config.log());
    return new Daemon(config).run();
  }
}
