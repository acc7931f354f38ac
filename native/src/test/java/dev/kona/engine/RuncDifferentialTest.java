package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The same bundle run by Kona's engine and by runc (Debian's runc package) must look the same from
 * inside: identity, capabilities, no_new_privs, seccomp mode, hostname, rlimits, environment, cwd,
 * and the mount table (mount point, filesystem type, read-only or not). One deliberate difference:
 * the tmpfs at /sys/fs/cgroup is read-only as the spec asks, where runc 1.1 leaves it writable on
 * cgroup v1 (its cgroup2 mount on v2 is read-only, as Kona's).
 */
class RuncDifferentialTest extends NativeEngineTestBase {
  static final Path RUNC = Path.of("/usr/sbin/runc");
  static final String PROBE = String.join("; ",
      "id", "grep -E '^(Cap|NoNewPrivs|Seccomp:)' /proc/self/status", "hostname", "echo nofile $(ulimit -n)",
      "env | sort", "pwd", "ls -l /dev | awk '{print $1, $NF}'",
      "awk '{split($6, o, \",\"); print $5, o[1]}' /proc/self/mountinfo | sort",
      "grep -E ' - (cgroup|tmpfs|proc|sysfs|devpts|mqueue) ' /proc/self/mountinfo | awk '{print $5, $(NF-2)}' | sort");

  @Test
  void probe_seesTheSameAsUnderRunc() throws Exception {
    Spec spec = BusyboxBundle.spec(rootfs, false, "sh", "-c", PROBE);
    ContainerId id = create("kona", spec, false);
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code(), log("kona"));
    String kona = log("kona").lines().map(l -> l.substring(l.indexOf(' ', l.indexOf(' ') + 1) + 3))
        .collect(Collectors.joining("\n"));
    String runc = runc(BusyboxBundle.write(dir, "runc", spec));
    assertEquals(asOnV2(runc), kona);
  }

  @Test
  void restrictedProcess_seesTheSameAsUnderRunc() throws Exception {
    Spec spec = NativeEngineSpecTest.restricted(rootfs,
        PROBE + "; umask; cat /proc/sys/kernel/shm_rmid_forced; mkdir /tmp/x 2>/dev/null || echo denied");
    ContainerId id = create("konar", spec, false);
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code(), log("konar"));
    String kona = log("konar").lines().map(l -> l.substring(l.indexOf(' ', l.indexOf(' ') + 1) + 3))
        .collect(Collectors.joining("\n"));
    String runc = runc(BusyboxBundle.write(dir, "runcr", spec));
    assertEquals(asOnV2(runc), kona);
  }

  /** runc's probe output with its v1 /sys/fs/cgroup tmpfs read-only, as it mounts cgroup2 on v2 and as Kona does. */
  private static String asOnV2(String runc) {
    return runc.replace("\n/sys/fs/cgroup rw\n", "\n/sys/fs/cgroup ro\n");
  }

  @Override
  NativeEngine newEngine() {
    return new NativeEngine(new RunRoot(runRoot), shim, new dev.kona.engine.plan.ContainerPlanner(
        dev.kona.engine.plan.HostFacts.read(), TestSeccomp.compiler()), CgroupPlacement.none(), 16384);
  }

  private String runc(Path bundle) throws IOException, InterruptedException {
    String name = "kona-diff-" + ProcessHandle.current().pid();
    java.lang.Process p = new ProcessBuilder(RUNC.toString(), "--root", dir.resolve("runc-state").toString(),
        "run", "--bundle", bundle.toString(), name)
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    new ProcessBuilder(RUNC.toString(), "--root", dir.resolve("runc-state").toString(), "delete", "--force", name)
        .redirectErrorStream(true).start().waitFor();
    assertEquals(0, code, out);
    return Arrays.stream(out.split("\n")).collect(Collectors.joining("\n")).stripTrailing();
  }

}
