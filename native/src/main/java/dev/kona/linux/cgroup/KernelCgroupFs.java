package dev.kona.linux.cgroup;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.error.ResourceExhaustedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** {@link CgroupFs} on the mounted cgroup filesystems (or any directory tree). */
public class KernelCgroupFs implements CgroupFs {

  @Override
  public boolean mkdir(Path dir) {
    try {
      Files.createDirectory(dir);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw translate("create cgroup " + dir, e);
    }
  }

  @Override
  public boolean rmdir(Path dir) {
    try {
      return Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw translate("remove cgroup " + dir, e);
    }
  }

  @Override
  public boolean exists(Path path) {
    return Files.exists(path);
  }

  @Override
  public void write(Path file, String value) {
    try {
      // One write(2) per value: cgroupfs parses each write as a whole. No CREATE: a missing
      // interface file is an error, not a new file. TRUNCATE is a no-op on cgroupfs.
      Files.write(file, value.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw translate("write \"" + value + "\" to " + file, e);
    }
  }

  @Override
  public String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw translate("read " + file, e);
    }
  }

  @Override
  public List<Path> children(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw translate("list " + dir, e);
    }
  }

  /** Maps the JDK's IOException (which carries the strerror text) to the error family. */
  static KonaException translate(String what, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String message = what + ": " + reason;
    if (e instanceof NoSuchFileException) {
      return new NotFoundException(what + ": no such file", e);
    }
    if (e instanceof DirectoryNotEmptyException) {
      return new FailedPreconditionException(what + ": has child cgroups", e);
    }
    if (reason.contains("Invalid argument") || reason.contains("Numerical result out of range")) {
      return new InvalidArgumentException(message, e);
    }
    if (reason.contains("Device or resource busy")) {
      return new FailedPreconditionException(message, e);
    }
    if (reason.contains("No space left on device") || reason.contains("Resource temporarily")) {
      return new ResourceExhaustedException(message, e);
    }
    return new InternalException(message, e);
  }
}
