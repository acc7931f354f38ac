package dev.kona.server.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    boolean rro = MountAttrCalls.available();
    if (!rro) {
      LOG.info("mount_setattr is not available: recursive read-only mounts are not offered by Kona's engine");
    }
    return new RuntimeHandlers.Features(rro, false);
  }

  /** The features of an OCI runtime binary; none when it has no {@code features} subcommand. */
  public static RuntimeHandlers.Features ociRuntime(String handler, Path binary) {
    return new RuntimeHandlers.Features(mountOptionsHaveRro(handler, binary), false);
  }

  static boolean mountOptionsHaveRro(String handler, Path binary) {
    Process p = null;
    try {
      p = new ProcessBuilder(binary.toString(), "features").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        LOG.info("runtime handler \"{}\": {} features failed; no recursive read-only mounts", handler, binary);
        return false;
      }
      return hasRro(JSON.readTree(out));
    } catch (IOException e) {
      LOG.info("runtime handler \"{}\": {} features: {}; no recursive read-only mounts", handler, binary, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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
