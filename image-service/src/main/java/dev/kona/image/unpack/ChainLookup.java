package dev.kona.image.unpack;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.image.unpack.fs.FsCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Looks up a hard link's target in one layer directory of the snapshot chain, the way overlayfs
 * shows the chain, and never on the host's tree.
 *
 * <p>Every component is opened with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV)} from a descriptor of the component before it, starting
 * at a descriptor of the layer directory, so no symlink (absolute, relative or a chain), no {@code
 * ..} and no mount can lead the walk out of that layer. A symlink among the target's parents is
 * refused (INVALID_ARGUMENT): tar writers record a hard link by the real path of its first name, so
 * an honest layer never names one through a symlink, and following it even in-root would pick a
 * file the link's author did not name. This is stricter than containerd, which resolves the target
 * in-root ({@code fs.RootPath}); it is the same rule this unpacker already applies inside one layer.
 *
 * <p>Overlay rules decide what lower layers may still provide: a whiteout (0:0 character device) or
 * a non-directory on the way hides the name, and an opaque directory hides everything below it.
 */
final class ChainLookup {

  private static final Syscalls SYSCALLS = LinuxSyscalls.get();
  private static final long RESOLVE =
      OpenFlags.RESOLVE_BENEATH | OpenFlags.RESOLVE_NO_SYMLINKS | OpenFlags.RESOLVE_NO_MAGICLINKS | OpenFlags.RESOLVE_NO_XDEV;
  private static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;
  private static final int S_IFCHR = 0020000;

  private ChainLookup() {}

  /** What one layer says about a path. */
  enum State {
    /** The layer has it: {@link Result#fd()} is an O_PATH descriptor of it. */
    FOUND,
    /** The layer has it as a symlink (a hard link to a symlink); no descriptor. */
    SYMLINK,
    /** The layer does not have it; lower layers may. */
    ABSENT,
    /** The layer hides it from the layers below (whiteout, non-directory parent, opaque parent). */
    HIDDEN
  }

  /** The outcome in one layer; the caller closes {@code fd}. */
  record Result(State state, OwnedFd fd, int type) implements AutoCloseable {
    /** The path through which {@code fd}'s file can be opened or copied (procfs names the open file). */
    Path procPath() {
      return Path.of("/proc/self/fd/" + fd.get());
    }

    @Override
    public void close() {
      if (fd != null) {
        fd.close();
      }
    }
  }

  /**
   * @param layer one layer directory of the chain
   * @param parts the target's components (no {@code ..}, no empty parts)
   * @param entry the tar entry, for messages
   * @param name the link name as the tar wrote it, for messages
   */
  static Result lookup(Path layer, List<String> parts, String entry, String name) throws IOException {
    OwnedFd current = SYSCALLS.open(layer.toString(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
    boolean opaque = false;
    try {
      for (int i = 0; i < parts.size(); i++) {
        boolean last = i == parts.size() - 1;
        OwnedFd next;
        try {
          next = SYSCALLS.openat2(current, parts.get(i), OpenFlags.O_PATH, RESOLVE);
        } catch (NativeCallException e) {
          if (e.is(Errno.ENOENT)) {
            return new Result(opaque ? State.HIDDEN : State.ABSENT, null, 0);
          }
          if (e.is(Errno.ELOOP) && last) {
            return new Result(State.SYMLINK, null, 0);
          }
          if (e.is(Errno.ELOOP) || e.is(Errno.EXDEV)) {
            throw EntryPaths.escape(
                entry, "hard link target \"" + name + "\" goes through symlink \"" + String.join("/", parts.subList(0, i + 1)) + "\"");
          }
          throw e;
        }
        Map<String, Object> attrs = Files.readAttributes(Path.of("/proc/self/fd/" + next.get()), "unix:mode,rdev");
        int type = (int) attrs.get("mode") & S_IFMT;
        if (type == S_IFCHR && (long) attrs.get("rdev") == 0) {
          next.close();
          return new Result(State.HIDDEN, null, 0); // a whiteout
        }
        if (last) {
          current.close();
          current = null;
          return new Result(State.FOUND, next, type);
        }
        current.close();
        current = next;
        if (type != S_IFDIR) {
          return new Result(State.HIDDEN, null, 0); // a file where a directory would be shadows the layers below
        }
        byte[] marker = FsCalls.getxattr(Path.of("/proc/self/fd/" + current.get()), "trusted.overlay.opaque");
        opaque |= marker != null && marker.length == 1 && marker[0] == 'y';
      }
      throw new InvalidArgumentException("unpack entry \"" + entry + "\": hard link to the layer root");
    } finally {
      if (current != null) {
        current.close();
      }
    }
  }
}
