package dev.kona.cni.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kona.cni.cache.CachedAttachment;
import dev.kona.cni.cache.ResultCache;
import dev.kona.cni.config.CniVersion;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.exec.CniCommand;
import dev.kona.cni.exec.PluginInvoker;
import dev.kona.cni.exec.RequestConfig;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Garbage collection: first a DEL for every cached attachment not in the valid set (GC is no
 * substitute for DEL), each with its own cached config; then, for a 1.1.0 network without {@code
 * disableGC}, the GC command to every plugin with {@code cni.dev/valid-attachments}. Errors do not
 * stop the sweep; they are reported together at the end.
 */
public final class GcNetwork {

  private final PluginInvoker invoker;
  private final ResultCache cache;
  private final DelNetwork del;

  public GcNetwork(PluginInvoker invoker, ResultCache cache, DelNetwork del) {
    this.invoker = invoker;
    this.cache = cache;
    this.del = del;
  }

  /** An attachment that still exists. */
  public record Attachment(String containerId, String ifName) {}

  /** @param current the network in the config dir, or null if there is none */
  public void run(NetworkConfigList current, Set<Attachment> valid) {
    List<String> errors = new ArrayList<>();
    for (CachedAttachment entry : cache.list()) {
      if (!valid.contains(new Attachment(entry.args().containerId(), entry.args().ifName()))) {
        try {
          del.run(entry);
        } catch (KonaException e) {
          errors.add("delete stale attachment: " + e.getMessage());
        }
      }
    }
    if (current != null && !current.disableGC() && current.cniVersion().atLeast(CniVersion.V1_1_0)) {
      ArrayNode attachments = JsonNodeFactory.instance.arrayNode();
      for (Attachment a : valid) {
        attachments.addObject().put("containerID", a.containerId()).put("ifname", a.ifName());
      }
      // libcni also sends the key the spec first misnamed; plugins built against it read either.
      Map<String, JsonNode> extra =
          Map.of("cni.dev/valid-attachments", attachments, "cni.dev/attachments", attachments);
      for (PluginConfig plugin : current.plugins()) {
        try {
          invoker.invoke(current, plugin, CniCommand.GC, null, RequestConfig.forNetwork(current, plugin, extra));
        } catch (KonaException e) {
          errors.add(e.getMessage());
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InternalException("garbage-collect CNI attachments: " + String.join("; ", errors));
    }
  }
}
