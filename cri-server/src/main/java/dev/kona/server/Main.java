package dev.kona.server;

import dev.kona.cni.DefaultNetwork;
import dev.kona.server.config.ConfigException;
import dev.kona.server.config.ConfigLoader;
import dev.kona.server.config.KonaConfig;
import dev.kona.server.config.LogConfig;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.server.check.CheckResult;
import dev.kona.server.check.Preflight;
import dev.kona.server.logging.Logging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code kona} command line: daemon, check, config default, version, help. */
public final class Main {

  private static final String USAGE =
      """
      Usage: kona <command> [flags]

      Commands:
        daemon           run the CRI runtime in the foreground
        config default   print the whole default configuration (TOML)
        check [--output text|json] [--config PATH] [--KEY=VALUE]
                         preflight: can this host run Kona with this config? one line per
                         check, ok/warn/fail; exit 0 (ok), 1 (warnings), 2 (a blocker)
        cni install-default [--config PATH] [--KEY=VALUE]
                         write the default bridge network into cni.conf_dir if it has none
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
        KonaConfig config = loadConfig("kona daemon", args.subList(1, args.size()));
        if (config == null) {
          return Daemon.EXIT_CONFIG;
        }
        Logging.configure(config.log());
        List<String> flags = args.subList(1, args.size());
        return new Daemon(config, () -> {
          KonaConfig next = loadConfig("kona daemon (SIGHUP)", flags);
          if (next == null) {
            throw new ConfigException("the config does not load (see the line above)");
          }
          return next;
        }).run();
      }
      case "check" -> {
        return check(args.subList(1, args.size()));
      }
      case "cni" -> {
        if (args.size() < 2 || !args.get(1).equals("install-default")) {
          System.err.println("kona cni: expected `kona cni install-default`");
          return Daemon.EXIT_CONFIG;
        }
        KonaConfig config = loadConfig("kona cni install-default", args.subList(2, args.size()));
        if (config == null) {
          return Daemon.EXIT_CONFIG;
        }
        DefaultNetwork.installIfEmpty(config.cni()).ifPresentOrElse(
            path -> System.out.println("wrote " + path),
            () -> System.out.println(config.cni().confDir() + " already has a network configuration; left as it is"));
        return Daemon.EXIT_OK;
      }
      default -> {
        System.err.println("kona: unknown command \"" + args.getFirst() + "\"\n\n" + USAGE);
        return Daemon.EXIT_CONFIG;
      }
    }
  }

  /** {@code kona check}: {@code --output} is its own flag; the rest configure as for the daemon. */
  private static int check(List<String> args) {
    String output = "text";
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--output") && i + 1 < args.size()) {
        output = args.get(++i);
      } else if (arg.startsWith("--output=")) {
        output = arg.substring("--output=".length());
      } else {
        rest.add(arg);
      }
    }
    if (!output.equals("text") && !output.equals("json")) {
      System.err.println("kona check: --output must be text or json, got \"" + output + "\"");
      return Daemon.EXIT_CONFIG;
    }
    KonaConfig config = loadConfig("kona check", rest);
    if (config == null) {
      return Preflight.EXIT_FAIL;
    }
    Logging.configure(new LogConfig("warn", config.log().format()));
    List<CheckResult> results = new Preflight(config, LinuxSyscalls.get()).run();
    System.out.print(output.equals("json") ? Preflight.json(results) : Preflight.text(results));
    System.out.flush();
    return Preflight.exitCode(results);
  }

  /** The config from {@code --config} and {@code --key=value} flags, or null after printing why not. */
  private static KonaConfig loadConfig(String command, List<String> args) {
    Path configFile = null;
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        System.err.println(command + ": unexpected argument \"" + arg + "\" (flags are --key=value)");
        return null;
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
        System.err.println(command + ": flag --" + body + " needs a value");
        return null;
      }
      if (key.equals("config")) {
        configFile = Path.of(value);
      } else {
        flags.put(key, value);
      }
    }
    try {
      return new ConfigLoader().load(configFile, flags);
    } catch (ConfigException e) {
      System.err.println("kona: " + e.getMessage());
      return null;
    }
  }
}
