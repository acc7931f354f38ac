package dev.kona.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.config.CniConfig;
import dev.kona.cni.config.NetworkConfigSource;
import dev.kona.cni.config.Subnet;
import dev.kona.common.error.InternalException;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network Kona installs when the config dir has none: bridge {@value #BRIDGE} with the gateway on
 * the host, host-local IPAM on {@code default_subnet} (and {@code default_subnet_v6} for
 * dual-stack), masquerade and a default route for egress, portmap for hostPort, and loopback. The
 * file is named so that any cluster network installed later (10-flannel, 10-calico…) sorts before it
 * and wins.
 */
public final class DefaultNetwork {

  public static final String NAME = "kona";
  public static final String BRIDGE = "kona0";
  public static final String FILE_NAME = "99-kona.conflist";
  /** The Debian plugins (1.1.x) speak up to 1.0.0; STATUS and GC need 1.1.0 plugins. */
  static final String CNI_VERSION = "1.0.0";

  private static final Logger log = LoggerFactory.getLogger(DefaultNetwork.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private DefaultNetwork() {}

  /**
   * Writes the default conflist into {@code conf_dir} if it holds no config file at all. Returns the
   * file written, or empty when configs exist (they are never touched).
   */
  public static Optional<Path> installIfEmpty(CniConfig config) {
    Path dir = config.confDir();
    try {
      if (!NetworkConfigSource.isEmpty(dir)) {
        return Optional.empty();
      }
      Files.createDirectories(dir);
      Path target = dir.resolve(FILE_NAME);
      AtomicFile.write(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(conflist(config)), AtomicFile.PRIVATE);
      log.info("installed default CNI network {} ({}) at {}", NAME, config.defaultSubnet(), target);
      return Optional.of(target);
    } catch (IOException e) {
      throw new InternalException("install default CNI network in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The default conflist for the configured subnets. */
  static ObjectNode conflist(CniConfig config) {
    ObjectNode list = JSON.createObjectNode();
    list.put("cniVersion", CNI_VERSION);
    list.put("name", NAME);
    ArrayNode plugins = list.putArray("plugins");

    ObjectNode bridge = plugins.addObject();
    bridge.put("type", "bridge");
    bridge.put("bridge", BRIDGE);
    bridge.put("isGateway", true);
    bridge.put("ipMasq", true);
    bridge.put("hairpinMode", true);
    ObjectNode ipam = bridge.putObject("ipam");
    ipam.put("type", "host-local");
    ArrayNode ranges = ipam.putArray("ranges");
    ArrayNode routes = ipam.putArray("routes");
    addRange(ranges, routes, Subnet.parse("cni.default_subnet", config.defaultSubnet()), "0.0.0.0/0");
    if (config.defaultSubnetV6() != null) {
      addRange(ranges, routes, Subnet.parse("cni.default_subnet_v6", config.defaultSubnetV6()), "::/0");
    }

    ObjectNode portmap = plugins.addObject();
    portmap.put("type", "portmap");
    portmap.putObject("capabilities").put("portMappings", true);

    plugins.addObject().put("type", "loopback");
    return list;
  }

  private static void addRange(ArrayNode ranges, ArrayNode routes, Subnet subnet, String defaultRoute) {
    ranges
        .addArray()
        .addObject()
        .put("subnet", subnet.toString())
        .put("gateway", subnet.firstHost().getHostAddress());
    routes.addObject().put("dst", defaultRoute);
  }
}
