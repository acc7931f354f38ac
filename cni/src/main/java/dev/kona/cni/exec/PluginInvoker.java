package dev.kona.cni.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.result.CniError;
import dev.kona.cni.result.ResultTranslator;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one plugin of a network for one command and interprets what it says: a result on stdout
 * with exit 0, or an error result with a non-zero exit. Every failure is a {@link KonaException}
 * whose message names the plugin, the command, the network and the container.
 */
public final class PluginInvoker {

  private static final Logger log = LoggerFactory.getLogger(PluginInvoker.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final PluginLocator locator;
  private final PluginProcess process;
  private final Duration timeout;
  private final CniMetrics metrics;

  public PluginInvoker(PluginLocator locator, PluginProcess process, Duration timeout, CniMetrics metrics) {
    this.locator = locator;
    this.process = process;
    this.timeout = timeout;
    this.metrics = metrics;
  }

  /**
   * Fails if any plugin of the network has no binary, so that ADD can refuse before it changes
   * anything (nothing to undo then).
   */
  public void requireBinaries(NetworkConfigList network) {
    for (PluginConfig plugin : network.plugins()) {
      try {
        locator.find(plugin.type());
      } catch (KonaException e) {
        throw e.withContext("network " + network.name() + " in " + network.origin());
      }
    }
  }

  /** The binary that runs for this plugin, for callers that cache per binary. */
  public Path binary(PluginConfig plugin) {
    return locator.find(plugin.type());
  }

  /**
   * Runs the plugin; returns its result for ADD and VERSION (a JSON object), null for the others.
   *
   * @param args the attachment, or null for STATUS and GC
   */
  public JsonNode invoke(
      NetworkConfigList network, PluginConfig plugin, CniCommand command, RuntimeArgs args, ObjectNode config) {
    String what = describe(network, plugin, command, args);
    long start = System.nanoTime();
    String outcome = "error";
    try {
      Path binary = locator.find(plugin.type());
      ProcessOutput out;
      try {
        out = process.run(binary, environment(command, args), JSON.writeValueAsBytes(config), timeout);
      } catch (DeadlineExceededException e) {
        outcome = "timeout";
        throw e;
      } catch (IOException e) {
        throw new InternalException("serialize config: " + e.getMessage(), e);
      }
      if (!out.stderr().isEmpty()) {
        log.debug("{}: stderr: {}", what, out.stderr());
      }
      if (out.exitCode() != 0) {
        throw failure(out);
      }
      JsonNode result = null;
      if (command == CniCommand.ADD || command == CniCommand.VERSION) {
        outcome = "garbage";
        result = parseResult(network, command, out);
      }
      outcome = "ok";
      return result;
    } catch (KonaException e) {
      throw e.withContext(what);
    } finally {
      metrics.pluginCall(plugin.type(), command, outcome, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Map<String, String> environment(CniCommand command, RuntimeArgs args) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command.name());
    env.put("CNI_CONTAINERID", args == null ? "" : args.containerId());
    env.put("CNI_NETNS", args == null ? "" : args.netns());
    env.put("CNI_IFNAME", args == null ? "" : args.ifName());
    env.put("CNI_ARGS", args == null ? "" : args.cniArgsString());
    env.put("CNI_PATH", locator.cniPath());
    // Plugins call iptables, ip, modprobe: they need a PATH even when the daemon has none.
    String path = System.getenv("PATH");
    env.put("PATH", path == null || path.isEmpty() ? DEFAULT_PATH : path);
    return env;
  }

  private static JsonNode parseResult(NetworkConfigList network, CniCommand command, ProcessOutput out) {
    JsonNode result = readJson(out.stdout());
    if (result == null || !result.isObject()) {
      throw new InternalException("garbage on stdout instead of a result: " + snippet(out.stdout()));
    }
    try {
      if (command == CniCommand.VERSION) {
        ResultTranslator.toVersions(result);
      } else {
        ResultTranslator.toDomain(result, network.cniVersion());
      }
    } catch (KonaException e) {
      throw new InternalException("garbage result: " + e.getMessage() + ": " + snippet(out.stdout()), e);
    }
    return result;
  }

  private static KonaException failure(ProcessOutput out) {
    JsonNode json = readJson(out.stdout());
    if (json != null && json.isObject() && (json.has("code") || json.has("msg"))) {
      CniError error = ResultTranslator.toError(json);
      return KonaException.of(error.kind(), "failed with " + error + stderrSuffix(out), null);
    }
    String stdout = out.stdout().length == 0 ? "" : ", stdout: " + snippet(out.stdout());
    return new InternalException(
        "exited with status " + out.exitCode() + " without an error result" + stdout + stderrSuffix(out));
  }

  private static String stderrSuffix(ProcessOutput out) {
    if (out.stderr().isEmpty()) {
      return "";
    }
    String err = out.stderr();
    return ", stderr: " + (err.length() > 500 ? err.substring(0, 500) + "…" : err);
  }

  private static JsonNode readJson(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static String snippet(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    return "\"" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + "\"";
  }

  private static String describe(
      NetworkConfigList network, PluginConfig plugin, CniCommand command, RuntimeArgs args) {
    return "CNI plugin "
        + plugin.type()
        + " "
        + command
        + " (network "
        + network.name()
        + (args == null ? "" : ", container " + args.containerId() + ", " + args.ifName())
        + ")";
  }
}
