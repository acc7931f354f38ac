package dev.kona.server.check;

import dev.kona.cni.config.CniConfig;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.NetworkConfigSource;
import dev.kona.cni.config.NetworkSelection;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.exec.PluginLocator;
import dev.kona.common.error.KonaException;
import dev.kona.linux.syscall.StatFs;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the node gives Kona: the CNI network, room under the state root, the socket's place. */
final class NodeChecks {

  static final long MIB = 1024 * 1024;
  /** Below this, or below 5 % of inodes (the kubelet's nodefs.inodesFree eviction), pulls fail soon. */
  static final long FAIL_BYTES = 256 * MIB;
  /** Below this, or below 15 % (the kubelet's imagefs.available eviction), the node is short of room. */
  static final long WARN_BYTES = 2048 * MIB;

  private final Syscalls sys;

  NodeChecks(Syscalls sys) {
    this.sys = sys;
  }

  /** The network config the daemon would use now, and whether every plugin in it is installed. */
  CheckResult cni(CniConfig cni) {
    NetworkSelection selection = new NetworkConfigSource(cni.confDir(), cni.networkName()).current();
    if (selection instanceof NetworkSelection.Missing(String reason)) {
      return CheckResult.warn("cni", reason + "; pods on the host network run, others wait for a network"
          + " (`kona cni install-default` writes a bridge network)");
    }
    NetworkConfigList network = ((NetworkSelection.Found) selection).network();
    PluginLocator locator = new PluginLocator(cni.binDirs());
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (PluginConfig plugin : network.plugins()) {
      try {
        locator.find(plugin.type());
        found.add(plugin.type());
      } catch (KonaException e) {
        missing.add(plugin.type());
      }
    }
    String what = "network \"" + network.name() + "\" from " + network.origin();
    if (!missing.isEmpty()) {
      return CheckResult.fail("cni", what + ": plugin " + String.join(", ", missing) + " not found in "
          + locator.cniPath() + " (Debian package containernetworking-plugins, or set cni.bin_dirs)");
    }
    return CheckResult.ok("cni", what + ", plugins " + String.join(", ", found) + " in " + locator.cniPath());
  }

  /** Free space and inodes on the filesystem that holds (or will hold) the state root. */
  CheckResult storage(Path stateRoot) {
    return storage("storage", "state_root", stateRoot);
  }

  /** The same for a {@code containers_root}, which holds the writable layers on a filesystem apart. */
  CheckResult containersStorage(Path containersRoot) {
    return storage("containers_storage", "containers_root", containersRoot);
  }

  private CheckResult storage(String check, String key, Path stateRoot) {
    Path existing = stateRoot.toAbsolutePath().normalize();
    while (!Files.exists(existing) && existing.getParent() != null) {
      existing = existing.getParent();
    }
    StatFs fs = sys.statfs(existing.toString());
    String where = key + " " + stateRoot + (existing.equals(stateRoot) ? "" : " (not made yet; on " + existing + ")");
    if (fs.type() == StatFs.OVERLAYFS_SUPER_MAGIC) {
      return CheckResult.fail(check, where + " is on overlayfs, which cannot hold the upper directories of "
          + "containers' overlay mounts; choose a directory on ext4, xfs or btrfs");
    }
    if (fs.readOnly()) {
      return CheckResult.fail(check, where + " is on a read-only filesystem");
    }
    long avail = fs.blocksAvailable() * fs.blockSize();
    long total = fs.blocks() * fs.blockSize();
    double freePct = total == 0 ? 100 : 100.0 * fs.blocksAvailable() / fs.blocks();
    boolean inodes = fs.files() > 0;
    double inodePct = inodes ? 100.0 * fs.filesFree() / fs.files() : 100;
    String numbers = String.format(java.util.Locale.ROOT, "%d MiB free of %d MiB (%.0f%%)", avail / MIB, total / MIB, freePct)
        + (inodes ? String.format(java.util.Locale.ROOT, ", %d inodes free of %d (%.0f%%)", fs.filesFree(), fs.files(), inodePct) : "");
    if (avail < FAIL_BYTES || inodePct < 5) {
      return CheckResult.fail(check, where + ": " + numbers + "; pulls and container layers need room");
    }
    if (avail < WARN_BYTES || freePct < 15 || inodePct < 15) {
      return CheckResult.warn(check, where + ": " + numbers + "; the kubelet starts evicting and removing "
          + "images near 15% free");
    }
    return CheckResult.ok(check, where + ": " + numbers);
  }

  /** The socket's directory and the socket: what the daemon would find, and who can reach it. */
  CheckResult socket(Path socket) {
    Path dir = socket.toAbsolutePath().getParent();
    try {
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        PosixFileAttributes attrs = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isOther()) {
          return CheckResult.fail("socket", socket + " exists and is not a socket; Kona never deletes it: "
              + "remove it or set socket");
        }
        if (answers(socket)) {
          return CheckResult.ok("socket", socket + ": a Kona (or another server) is listening on it now");
        }
      }
      if (!Files.exists(dir)) {
        return CheckResult.ok("socket", dir + " does not exist; it is made at start");
      }
      PosixFileAttributes d = Files.readAttributes(dir, PosixFileAttributes.class);
      if (!d.isDirectory()) {
        return CheckResult.fail("socket", dir + " (the socket's directory) is not a directory");
      }
      Set<PosixFilePermission> mode = d.permissions();
      String modeText = PosixFilePermissions.toString(mode);
      boolean sticky = (((Number) Files.getAttribute(dir, "unix:mode")).intValue() & 01000) != 0;
      if (mode.contains(PosixFilePermission.OTHERS_WRITE) && !sticky) {
        return CheckResult.fail("socket", dir + " is " + modeText + ": any user could replace the socket");
      }
      if (!d.owner().getName().equals("root")) {
        return CheckResult.warn("socket", dir + " belongs to " + d.owner().getName() + ", who can replace the socket");
      }
      if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
        return CheckResult.warn("socket", dir + " is " + modeText + ": users other than root can replace the socket");
      }
      return CheckResult.ok("socket", socket + " in " + dir + " (" + modeText + ", root's)"
          + (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) ? "; a stale socket there is replaced at start" : ""));
    } catch (IOException e) {
      return CheckResult.fail("socket", "inspect " + socket + ": " + e);
    }
  }

  private static boolean answers(Path socket) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return false;
    }
  }
}
