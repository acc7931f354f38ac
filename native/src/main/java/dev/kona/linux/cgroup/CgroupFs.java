package dev.kona.linux.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * File access to cgroup trees, the OS edge of this package. {@link KernelCgroupFs} is the real
 * cgroupfs; tests of v2 logic use a recorded tree in a temp dir that populates a new cgroup's
 * interface files on mkdir, as the kernel does. Errors are the Kona family: a missing file is
 * NotFound, a value the kernel rejects (EINVAL) InvalidArgument, EBUSY FailedPrecondition.
 */
public interface CgroupFs {

  /** Creates the directory; false when it already existed. */
  boolean mkdir(Path dir);

  /** Removes the (empty of children) cgroup directory; false when it did not exist. */
  boolean rmdir(Path dir);

  boolean exists(Path path);

  /** Writes {@code value} to an existing interface file, never creating one. */
  void write(Path file, String value);

  String read(Path file);

  /** Child cgroup directories of {@code dir}. */
  List<Path> children(Path dir);
}
