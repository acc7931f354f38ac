package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.HostFacts;
import dev.kona.oci.spec.Capabilities;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.Rlimit;
import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.SeccompSyscall;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.User;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The process settings of the spec as the container's own process sees them (needs root):
 * identity, the five capability sets, no_new_privs, seccomp, rlimits, sysctls, umask, cwd,
 * hostname, masked and read-only paths.
 */
class NativeEngineSpecTest extends NativeEngineTestBase {
  static final String PROBE = String.join("; ",
      "id", "grep -E '^(Cap|NoNewPrivs|Seccomp:)' /proc/self/status", "echo nofile $(ulimit -n) $(ulimit -Hn)",
      "echo shm_rmid_forced $(cat /proc/sys/kernel/shm_rmid_forced)", "echo umask $(umask)", "echo cwd $(pwd)",
      "echo hostname $(hostname)", "echo keys $(wc -c < /proc/keys)",
      "grep -q ' /proc/sys ro,' /proc/self/mountinfo && echo procsys ro",
      "mkdir /tmp/denied 2>/dev/null || echo mkdir denied");

  @Override
  NativeEngine newEngine() {
    return new NativeEngine(new RunRoot(runRoot), shim, new ContainerPlanner(HostFacts.read(), TestSeccomp.compiler()),
        CgroupPlacement.none(), 16384);
  }

  /** A non-root process with groups, some capabilities (one ambient), an rlimit, seccomp and a sysctl. */
  static Spec restricted(Path rootfs, String script) {
    Spec base = BusyboxBundle.spec(rootfs, false, "sh", "-c", script);
    List<String> some = List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE");
    Process process = new Process(false, null, new User(1000, 1000, 027, List.of(10L, 20L)), base.process().args(),
        base.process().env(), "/tmp",
        new Capabilities(BusyboxBundle.DEFAULT_CAPS, some, List.of("CAP_NET_BIND_SERVICE"), some, List.of("CAP_NET_BIND_SERVICE")),
        List.of(new Rlimit("RLIMIT_NOFILE", 2048, 1024)), true, null, null, null);
    Seccomp profile = Seccomp.of("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86_64"),
        List.of(new SeccompSyscall(List.of("mkdir", "mkdirat"), "SCMP_ACT_ERRNO", 1, List.of())));
    return base.withProcess(process)
        .withLinux(base.linux().withSeccomp(profile).withSysctl(Map.of("kernel.shm_rmid_forced", "1")));
  }

  @Test
  void process_seesEverySettingOfTheSpec() throws IOException {
    ContainerId id = create("probe", restricted(rootfs, PROBE), false);
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code(), log("probe"));
    String out = log("probe").lines().map(l -> l.substring(l.indexOf(" F ") + 3)).collect(Collectors.joining("\n"));
    long bind = 1L << 10;
    assertTrue(out.contains("uid=1000 gid=1000 groups=10,20"), out);
    assertTrue(out.contains("CapInh:\t" + hex(bind)), out);
    // A non-root process keeps across execve only what is ambient, as under runc.
    assertTrue(out.contains("CapPrm:\t" + hex(bind)), out);
    assertTrue(out.contains("CapEff:\t" + hex(bind)), out);
    assertTrue(out.contains("CapBnd:\t" + hex(0xa80425fbL)), out);
    assertTrue(out.contains("CapAmb:\t" + hex(bind)), out);
    assertTrue(out.contains("NoNewPrivs:\t1"), out);
    assertTrue(out.contains("Seccomp:\t2"), out);
    assertTrue(out.contains("nofile 1024 2048"), out);
    assertTrue(out.contains("shm_rmid_forced 1"), out);
    assertTrue(out.contains("umask 0027"), out);
    assertTrue(out.contains("cwd /tmp"), out);
    assertTrue(out.contains("hostname kona-test"), out);
    assertTrue(out.contains("keys 0"), out);
    assertTrue(out.contains("procsys ro"), out);
    assertTrue(out.contains("mkdir denied"), out);
  }

  private static String hex(long mask) {
    return String.format("%016x", mask);
  }
}
