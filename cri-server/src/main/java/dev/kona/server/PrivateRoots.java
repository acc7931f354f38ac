package dev.kona.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state root and the run root belong to root alone (0700, as containerd's and CRI-O's roots
 * do): image trees under them hold setuid binaries and device nodes from any pulled image, and
 * container records, config.json and launch plans hold the containers' environment. Whatever Kona
 * makes under them is then out of reach of every other user, whatever its own mode.
 *
 * <p>A {@code containers_root} holds the containers' writable layers (copies of image files,
 * setuid ones included, and whatever the containers write): it is root's alone too.
 *
 * <p>One exception: when the CRI socket lies directly in the run root (the default), the run root
 * is 0710, so that the socket's group can reach the socket (itself 0660) and nothing else; every
 * directory in the run root is made, or tightened to, 0700 here before any call is served.
 */
final class PrivateRoots {

  private static final Logger LOG = LoggerFactory.getLogger(PrivateRoots.class);

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_AND_SOCKET_GROUP = PosixFilePermissions.fromString("rwx--x---");

  /**
   * The directories the modules keep directly in the run root: the native engine's
   * ({@code Engines}), the runtime handlers' ({@code Engines}) and the pods' ({@code SandboxPaths}).
   */
  static final List<String> RUN_ROOT_DIRS = List.of("engine", "handlers", "sandboxes");

  private PrivateRoots() {}

  static void prepare(Path stateRoot, Path runRoot, Path socket) throws IOException {
    prepare(stateRoot, runRoot, socket, java.util.Optional.empty());
  }

  static void prepare(Path stateRoot, Path runRoot, Path socket, java.util.Optional<Path> containersRoot)
      throws IOException {
    own(stateRoot, OWNER_ONLY);
    if (containersRoot.isPresent()) {
      own(containersRoot.get(), OWNER_ONLY);
    }
    boolean socketInRunRoot =
        runRoot.toAbsolutePath().normalize().equals(socket.toAbsolutePath().normalize().getParent());
    own(runRoot, socketInRunRoot ? OWNER_AND_SOCKET_GROUP : OWNER_ONLY);
    if (socketInRunRoot) {
      for (String name : RUN_ROOT_DIRS) {
        own(runRoot.resolve(name), OWNER_ONLY);
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(runRoot)) {
        for (Path entry : entries) {
          if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            own(entry, OWNER_ONLY);
          }
        }
      }
    }
  }

  /** Creates {@code dir} with {@code mode} (missing parents as usual), or tightens it to that mode. */
  private static void own(Path dir, Set<PosixFilePermission> mode) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
    }
    Set<PosixFilePermission> had = Files.getPosixFilePermissions(dir);
    if (!had.equals(mode)) {
      // an empty new directory (the umask took bits) or an existing one made by an older Kona
      Files.setPosixFilePermissions(dir, mode);
      LOG.info("{}: mode {} (was {})", dir, PosixFilePermissions.toString(mode), PosixFilePermissions.toString(had));
    }
  }
}
