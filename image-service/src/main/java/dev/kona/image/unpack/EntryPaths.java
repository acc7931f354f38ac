package dev.kona.image.unpack;

import dev.kona.common.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps tar entry names to paths inside one snapshot directory and refuses any name that would leave
 * it: absolute names, {@code ..} components, and paths through a symlink an earlier entry planted.
 * The final component is never followed; callers replace whatever is there.
 */
final class EntryPaths {

  private final Path root;

  EntryPaths(Path root) {
    this.root = root;
  }

  /** The relative components of an entry name, {@code "./"} prefixes and empty parts dropped. */
  static List<String> components(String name, String entry) {
    if (name.indexOf('\0') >= 0) {
      // No file name can hold one; the JDK would throw InvalidPathException, outside the error family.
      throw new InvalidArgumentException("unpack entry \"" + entry.replace("\0", "\\0") + "\": path contains a NUL byte");
    }
    if (name.startsWith("/")) {
      throw escape(entry, "absolute path \"" + name + "\"");
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw escape(entry, "path \"" + name + "\" contains \"..\"");
      }
      parts.add(part);
    }
    return parts;
  }

  /**
   * Resolves {@code name}, creating missing parent directories (0755) and refusing parents that are
   * symlinks or not directories. Returns {@code root} itself for the root entry.
   */
  Path resolve(String name, String entry) throws IOException {
    List<String> parts = components(name, entry);
    Path current = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      current = current.resolve(parts.get(i));
      if (Files.isSymbolicLink(current)) {
        throw escape(entry, "parent \"" + root.relativize(current) + "\" is a symlink, writing through it could leave the layer");
      }
      if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(current);
      } else if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException(
            "unpack entry \"" + entry + "\": parent \"" + root.relativize(current) + "\" is not a directory");
      }
    }
    return parts.isEmpty() ? root : current.resolve(parts.getLast());
  }

  static InvalidArgumentException escape(String entry, String why) {
    return new InvalidArgumentException("unpack entry \"" + entry + "\": " + why + " (refused: it would write outside the layer)");
  }
}
