package dev.kona.server;

import dev.kona.image.ImageConfig;
import dev.kona.image.ImageService;
import dev.kona.server.config.KonaConfig;
import dev.kona.server.config.LogConfig;
import dev.kona.server.logging.Logging;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGHUP changes in a running daemon: {@code log.level}, {@code images.registries} and
 * {@code images.config_path} take effect at once; every other key that differs is logged as
 * needing a restart and keeps its running value.
 */
final class ConfigReload {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

  private ConfigReload() {}

  /** Applies {@code next} over {@code running}; returns the config now in force. */
  static KonaConfig apply(KonaConfig running, KonaConfig next, ImageService images) {
    if (!running.log().level().equals(next.log().level())) {
      Logging.setLevel(next.log().level());
      LOG.info("reload: log.level {} -> {}", running.log().level(), next.log().level());
    }
    ImageConfig runningImages = running.images();
    ImageConfig nextImages = next.images();
    boolean registries = !runningImages.registries().equals(nextImages.registries())
        || !runningImages.configPath().equals(nextImages.configPath());
    if (registries) {
      images.reloadRegistries(nextImages);
      LOG.info("reload: images.registries and images.config_path applied to the next pulls");
      for (String host : nextImages.registries().keySet()) {
        String was = runningImages.registries().containsKey(host) ? runningImages.registries().get(host).caFile() : null;
        if (!Objects.equals(was, nextImages.registries().get(host).caFile())) {
          LOG.warn("reload: images.registries.\"{}\".ca_file changed; it takes effect at the next restart", host);
        }
      }
    }
    ImageConfig inForceImages = runningImages.withRegistries(nextImages.registries()).withConfigPath(nextImages.configPath());
    KonaConfig inForce = new KonaConfig(running.socket(), running.stateRoot(), running.runRoot(), running.cgroupDriver(),
        running.shutdownTimeoutSeconds(), new LogConfig(next.log().level(), running.log().format()), running.metrics(),
        inForceImages, running.cni(), running.streaming(), running.runtime(), running.cdiSpecDirs(),
        running.containersRoot());
    for (String key : needingRestart(inForce, next)) {
      LOG.warn("reload: {} changed; it takes effect at the next restart", key);
    }
    return inForce;
  }

  /** The keys (or sections) of {@code next} that differ from what is in force. */
  static List<String> needingRestart(KonaConfig inForce, KonaConfig next) {
    List<String> keys = new ArrayList<>();
    diff(keys, "socket", inForce.socket(), next.socket());
    diff(keys, "state_root", inForce.stateRoot(), next.stateRoot());
    diff(keys, "run_root", inForce.runRoot(), next.runRoot());
    diff(keys, "containers_root", inForce.containersRoot(), next.containersRoot());
    diff(keys, "cgroup_driver", inForce.cgroupDriver(), next.cgroupDriver());
    diff(keys, "shutdown_timeout_seconds", inForce.shutdownTimeoutSeconds(), next.shutdownTimeoutSeconds());
    diff(keys, "log.format", inForce.log().format(), next.log().format());
    diff(keys, "metrics", inForce.metrics(), next.metrics());
    ImageConfig a = inForce.images();
    ImageConfig b = next.images();
    diff(keys, "images.max_concurrent_downloads", a.maxConcurrentDownloads(), b.maxConcurrentDownloads());
    diff(keys, "images.progress_timeout_seconds", a.progressTimeoutSeconds(), b.progressTimeoutSeconds());
    diff(keys, "images.platform", a.platform(), b.platform());
    diff(keys, "images.pinned_images", a.pinnedImages(), b.pinnedImages());
    diff(keys, "cni", inForce.cni(), next.cni());
    diff(keys, "streaming", inForce.streaming(), next.streaming());
    diff(keys, "runtime", inForce.runtime(), next.runtime());
    return keys;
  }

  private static void diff(List<String> keys, String key, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      keys.add(key);
    }
  }
}
