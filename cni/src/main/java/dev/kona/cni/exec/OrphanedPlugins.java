package dev.kona.cni.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugin processes that outlived the daemon which started them. A daemon killed during an ADD
 * leaves its plugin running (a plugin is not killed with its parent); if the next daemon's
 * recovery ran DEL for that pod while the ADD went on, the ADD would finish afterwards and its
 * veth and IP would stay with no pod to own them. So before any plugin runs, the new daemon kills
 * the plugins of the old one and waits until they are gone; recovery's DEL then undoes whatever
 * they had made.
 *
 * <p>Kona's plugins carry {@value #OWNER_ENV} (the CNI cache dir, one per Kona instance) in their
 * environment, and the plugins they start (IPAM) inherit it; other runtimes' plugins do not.
 */
public final class OrphanedPlugins {

  private static final Logger log = LoggerFactory.getLogger(OrphanedPlugins.class);

  /** Set on every plugin Kona runs: which Kona instance (its CNI cache dir) it belongs to. */
  public static final String OWNER_ENV = "KONA_CNI_OWNER";

  private OrphanedPlugins() {}

  /**
   * Kills, with SIGKILL, every process owned by {@code owner} that is not this process's
   * descendant, and waits up to {@code wait} for them to exit. Returns the pids killed.
   */
  public static List<Long> reap(String owner, Duration wait) {
    byte[] marker = (OWNER_ENV + "=" + owner + "\0").getBytes(StandardCharsets.UTF_8);
    Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    ours.add(ProcessHandle.current().pid());
    List<ProcessHandle> orphans = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (!ours.contains(pid) && contains(environ(p), marker)) {
          ProcessHandle.of(pid).ifPresent(orphans::add);
        }
      }
    } catch (IOException e) {
      log.warn("look for orphaned CNI plugins: {}", e.getMessage());
      return List.of();
    }
    for (ProcessHandle orphan : orphans) {
      log.warn("killing CNI plugin pid {} ({}) left running by a daemon that died", orphan.pid(),
          orphan.info().commandLine().orElse("?"));
      orphan.destroyForcibly();
    }
    for (ProcessHandle orphan : orphans) {
      try {
        orphan.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("CNI plugin pid {} did not exit after SIGKILL: {}", orphan.pid(), e.toString());
      }
    }
    return orphans.stream().map(ProcessHandle::pid).toList();
  }

  private static byte[] environ(Path proc) {
    try {
      return Files.readAllBytes(proc.resolve("environ"));
    } catch (IOException | SecurityException gone) {
      return new byte[0];
    }
  }

  /** Whether {@code env} has {@code entry} (NAME=value\0) at the start of one of its entries. */
  private static boolean contains(byte[] env, byte[] entry) {
    outer:
    for (int i = 0; i + entry.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) {
        continue;
      }
      for (int k = 0; k < entry.length; k++) {
        if (env[i + k] != entry[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
