package dev.kona.runtime.container;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An image's VOLUMEs, handled as containerd handles them: each volume path that no CRI mount
 * covers gets a fresh directory under the container's own directory, pre-filled with a copy of
 * what the image has at that path ("copy-up": files, directories, symlinks, hard links, devices
 * and fifos with their modes, owners and times), and is bind-mounted read-write there. The
 * directories live and die with the container's directory.
 */
public final class ImageVolumes {

  /** As Linux's MAXSYMLINKS: more links than this while resolving a path is a loop. */
  private static final int MAX_SYMLINKS = 40;

  private ImageVolumes() {}

  /**
   * Creates one directory per uncovered volume under {@code volumesDir}, copied up from the
   * mounted {@code rootfs}, and returns the bind mounts that put them in place.
   *
   * @param volumes the image's VOLUME paths
   * @param criMounts the CRI mounts; one with the same container path wins over the volume
   */
  public static List<ContainerSpec.MountSpec> prepare(String containerId, Path rootfs, Path volumesDir,
      List<String> volumes, List<ContainerSpec.MountSpec> criMounts) {
    Set<String> covered = criMounts.stream().map(m -> normalise(m.containerPath())).collect(Collectors.toSet());
    Set<String> wanted = new LinkedHashSet<>();
    for (String volume : volumes) {
      String path = normalise(volume);
      if (!path.equals("/") && !covered.contains(path)) {
        wanted.add(path);
      }
    }
    List<ContainerSpec.MountSpec> mounts = new ArrayList<>();
    int index = 0;
    for (String path : wanted) {
      Path host = volumesDir.resolve(Integer.toString(index++));
      try {
        Files.createDirectories(volumesDir);
        copyUp(resolveInRoot(rootfs, path), host, path, containerId);
      } catch (IOException e) {
        throw new InternalException(
            "create container " + containerId + ": copy up image volume " + path + ": " + e.getMessage(), e);
      }
      mounts.add(new ContainerSpec.MountSpec(path, host.toString(), false, "rprivate"));
    }
    return List.copyOf(mounts);
  }

  /** An absolute, normalised container path ("/data/" and "data" are both "/data"). */
  static String normalise(String containerPath) {
    return Path.of("/").resolve(containerPath).normalize().toString();
  }

  /**
   * {@code path} inside {@code root}, with symlinks followed as the container would see them:
   * absolute targets and ".." never leave {@code root} (containerd's fs.RootPath).
   */
  static Path resolveInRoot(Path root, String path) throws IOException {
    Deque<String> pending = new ArrayDeque<>(List.of(path.split("/")));
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.removeLast();
        }
        continue;
      }
      Path candidate = root.resolve(String.join("/", resolved)).resolve(part);
      if (!Files.isSymbolicLink(candidate)) {
        resolved.add(part);
        continue;
      }
      if (++links > MAX_SYMLINKS) {
        throw new FailedPreconditionException("resolve " + path + " in the image: too many levels of symbolic links");
      }
      String target = Files.readSymbolicLink(candidate).toString();
      if (target.startsWith("/")) {
        resolved.clear();
      }
      List<String> parts = List.of(target.split("/"));
      for (int i = parts.size() - 1; i >= 0; i--) {
        pending.addFirst(parts.get(i));
      }
    }
    return root.resolve(String.join("/", resolved));
  }

  /**
   * Copies the image's tree at {@code source} to the new directory {@code target}; a path the
   * image lacks gives an empty root-owned 0755 directory, as with containerd.
   */
  private static void copyUp(Path source, Path target, String path, String containerId) throws IOException {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(target);
      return;
    }
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new FailedPreconditionException(
          "create container " + containerId + ": image volume " + path + " is not a directory in the image");
    }
    Map<Object, Path> copiedInodes = new HashMap<>();
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.copy(dir, target.resolve(source.relativize(dir)), StandardCopyOption.COPY_ATTRIBUTES,
            LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path copy = target.resolve(source.relativize(file));
        // Hard links inside the volume stay hard links, as continuity's CopyDir keeps them.
        Path firstCopy = attrs.isRegularFile() && attrs.fileKey() != null && linkCount(file) > 1
            ? copiedInodes.putIfAbsent(attrs.fileKey(), copy) : null;
        if (firstCopy != null) {
          Files.createLink(copy, firstCopy);
        } else {
          Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        // Copying the entries touched the directory's mtime; put the image's back.
        Files.setLastModifiedTime(target.resolve(source.relativize(dir)),
            Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static int linkCount(Path file) throws IOException {
    return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
  }
}
