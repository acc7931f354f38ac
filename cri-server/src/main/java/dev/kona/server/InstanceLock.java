package dev.kona.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Kona per run root: an exclusive lock on {@code <run_root>/kona.lock}, held for the daemon's
 * life and released by the kernel if it dies, so a crash never leaves a stale lock behind.
 */
final class InstanceLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private InstanceLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or null when another live process holds it. */
  static InstanceLock tryAcquire(Path runRoot) throws IOException {
    Path file = runRoot.resolve("kona.lock");
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      return null;
    }
    channel.truncate(0);
    channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
    return new InstanceLock(channel, lock);
  }

  /** The pid written by whoever holds the lock, for the error message. */
  static String holder(Path runRoot) {
    try {
      return Files.readString(runRoot.resolve("kona.lock")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
