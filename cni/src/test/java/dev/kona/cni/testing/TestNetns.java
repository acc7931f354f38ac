package dev.kona.cni.testing;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** A network namespace made with {@code ip netns add kona-test-<random>}, deleted on close. */
public final class TestNetns implements AutoCloseable {

  /** Namespaces made and not yet deleted, for {@link NetnsLeakCheck}. */
  static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

  private final String name;

  private TestNetns(String name) {
    this.name = name;
  }

  public static TestNetns create() {
    String name = "kona-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    Cmd.run("ip", "netns", "add", name);
    LIVE.add(name);
    return new TestNetns(name);
  }

  public String name() {
    return name;
  }

  public Path path() {
    return Path.of("/run/netns", name);
  }

  /** Runs a command inside the namespace. */
  public Cmd.Result exec(String... command) {
    String[] full = new String[command.length + 4];
    full[0] = "ip";
    full[1] = "netns";
    full[2] = "exec";
    full[3] = name;
    System.arraycopy(command, 0, full, 4, command.length);
    return Cmd.tryRun(full);
  }

  @Override
  public void close() {
    if (Cmd.tryRun("ip", "netns", "delete", name).exitCode() == 0 || !path().toFile().exists()) {
      LIVE.remove(name);
    }
  }
}
