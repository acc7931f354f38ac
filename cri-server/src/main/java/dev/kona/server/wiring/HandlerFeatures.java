package dev.kona.server.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.linux.ns.UserNamespaceProbe;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.MountAttrCalls;
import dev.kona.runtime.RuntimeHandlers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each runtime handler can honour, found out once at start so that {@code Status} tells the
 * kubelet the truth: Kona's engine asks the kernel (mount_setattr), runc and crun are asked
 * through their {@code features} subcommand, as containerd does (mountOptions lists "rro").
 */
public final class HandlerFeatures {

  private static final Logger LOG = LoggerFactory.getLogger(HandlerFeatures.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 10;

  private HandlerFeatures() {}

  public static RuntimeHandlers.Features nativeEngine() {
    return nativeEngine(null, null);
  }

  /**
   * @param shim the helper, which makes user namespaces; null: none are offered
   * @param scratch an absent directory on the image store's filesystem for the user-namespace probe
   */
  static RuntimeHandlers.Features nativeEngine(Path shim, Path scratch) {
    boolean rro = MountAttrCalls.available();
    if (!rro) {
      LOG.info("mount_setattr is not available: recursive read-only mounts are not offered by Kona's engine");
    }
    boolean userns = false;
    if (shim != null) {
      UserNamespaceProbe.Result r = UserNamespaceProbe.probe(LinuxSyscalls.get(), shim, scratch);
      userns = r.overlay();
      if (!userns) {
        LOG.info("user namespaces (hostUsers: false) are not offered by Kona's engine: {}", r.reason());
      } else if (!r.tmpfs()) {
        LOG.info("user namespaces are offered, but tmpfs cannot be idmapped here (Linux 6.3 has it):"
            + " idmapped emptyDir volumes in memory will fail");
      }
    }
    return new RuntimeHandlers.Features(rro, userns);
  }

  /** The features of an OCI runtime binary; none when it has no {@code features} subcommand. */
  public static RuntimeHandlers.Features ociRuntime(String handler, Path binary) {
    return ociRuntime(handler, features(handler, binary), MountAttrCalls.available());
  }

  /**
   * {@code features} is the runtime's document (null: none). A runtime lists "rro" whatever the
   * kernel (runc 1.1 has a fixed list) and makes it with mount_setattr, so without
   * {@code mountSetattr} (Linux &lt; 5.12) it is not offered: the container would fail to start.
   */
  static RuntimeHandlers.Features ociRuntime(String handler, JsonNode features, boolean mountSetattr) {
    boolean rro = hasRro(features);
    if (rro && !mountSetattr) {
      LOG.info("runtime handler \"{}\": mount_setattr is not available: recursive read-only mounts are not offered",
          handler);
    }
    return new RuntimeHandlers.Features(rro && mountSetattr, hasUserNamespaces(features));
  }

  /**
   * As containerd reads it: the runtime can join a user namespace ({@code linux.namespaces} lists
   * "user") and idmap mounts ({@code linux.mountExtensions.idmap.enabled}), which the kubelet's
   * volumes need in such a pod.
   */
  static boolean hasUserNamespaces(JsonNode features) {
    JsonNode linux = features == null ? null : features.get("linux");
    if (linux == null) {
      return false;
    }
    boolean user = false;
    JsonNode namespaces = linux.get("namespaces");
    if (namespaces != null && namespaces.isArray()) {
      for (JsonNode n : namespaces) {
        user |= "user".equals(n.asText());
      }
    }
    JsonNode idmap = linux.path("mountExtensions").path("idmap").path("enabled");
    return user && idmap.asBoolean(false);
  }

  /** The runtime's {@code features} document, or null when it has none. */
  private static JsonNode features(String handler, Path binary) {
    Process p = null;
    try {
      p = new ProcessBuilder(binary.toString(), "features").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        LOG.info("runtime handler \"{}\": {} features failed; no recursive read-only mounts or user namespaces",
            handler, binary);
        return null;
      }
      return JSON.readTree(out);
    } catch (IOException e) {
      LOG.info("runtime handler \"{}\": {} features: {}; no recursive read-only mounts or user namespaces", handler,
          binary, e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  /** The OCI runtime features document (runtime-spec features.md) lists "rro" in mountOptions. */
  static boolean hasRro(JsonNode features) {
    JsonNode options = features == null ? null : features.get("mountOptions");
    if (options == null || !options.isArray()) {
      return false;
    }
    for (JsonNode o : options) {
      if ("rro".equals(o.asText())) {
        return true;
      }
    }
    return false;
  }
}
