package dev.kona.cni.exec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.config.NetworkName;
import dev.kona.common.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The attachment parameters of one ADD, CHECK or DEL.
 *
 * @param containerId CNI_CONTAINERID, the sandbox id
 * @param netns CNI_NETNS, the pinned netns path; empty on DEL when the netns is gone
 * @param ifName CNI_IFNAME
 * @param cniArgs CNI_ARGS pairs, in order
 * @param capabilityArgs capability arguments by capability name; only those a plugin declares reach
 *     its runtimeConfig
 */
public record RuntimeArgs(
    String containerId,
    String netns,
    String ifName,
    List<Map.Entry<String, String>> cniArgs,
    ObjectNode capabilityArgs) {

  public RuntimeArgs {
    if (!NetworkName.isValid(containerId)) {
      throw new InvalidArgumentException(
          "CNI container id must match [A-Za-z0-9][A-Za-z0-9_.-]*, got \"" + containerId + "\"");
    }
    if (ifName == null || ifName.isEmpty() || ifName.length() > 15 || ifName.contains("/")) {
      throw new InvalidArgumentException("CNI interface name must be 1-15 chars without '/', got \"" + ifName + "\"");
    }
    netns = netns == null ? "" : netns;
    cniArgs = cniArgs.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    capabilityArgs =
        capabilityArgs == null ? JsonNodeFactory.instance.objectNode() : capabilityArgs.deepCopy();
  }

  @Override
  public ObjectNode capabilityArgs() {
    return capabilityArgs.deepCopy();
  }

  /** The same attachment with another netns path (empty when the netns is gone). */
  public RuntimeArgs withNetns(String path) {
    return new RuntimeArgs(containerId, path, ifName, cniArgs, capabilityArgs);
  }

  /** CNI_ARGS: {@code K=V;K=V}. */
  public String cniArgsString() {
    return cniArgs.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
  }
}
