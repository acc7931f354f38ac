package dev.kona.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanEncoderTest {

  static LaunchPlan exec(List<String> args, byte[] seccomp) {
    return new LaunchPlan(List.of(NamespaceEntry.join("pid", Path.of("/proc/7/ns/pid")), NamespaceEntry.create("mnt")),
        List.of(Path.of("/sys/fs/cgroup/pids/k/cgroup.procs")), null, null, Map.of("net.ipv4.ip_forward", "1"),
        List.of(RlimitSetting.of("RLIMIT_NOFILE", 1024, -1)), null,
        new LaunchPlan.Security(new CapabilitySets(1, 2, 3, 0, 0), true, seccomp, 0),
        new LaunchPlan.Identity(1000, 1000, List.of(10L), null),
        new LaunchPlan.ProcessSpec(args, List.of("A=1"), null), new LaunchPlan.Stdio(false, true, false, null, 0),
        null, false);
  }

  @Test
  void encode_lengthPrefixedFieldsOneRecordPerLine() {
    String text = new String(PlanEncoder.encode(exec(List.of("sh", "-c", "echo a\nb"), null)), StandardCharsets.UTF_8);
    assertEquals("""
        version 1:1
        ns 3:pid 14:/proc/7/ns/pid
        ns 3:mnt 0:
        cgroup 34:/sys/fs/cgroup/pids/k/cgroup.procs
        sysctl 19:net.ipv4.ip_forward 1:1
        rlimit 1:7 4:1024 2:-1
        caps 1:1 1:2 1:3 1:0 1:0
        no-new-privs 1:1
        user 4:1000 4:1000
        group 2:10
        arg 2:sh
        arg 2:-c
        arg 8:echo a
        b
        env 3:A=1
        cwd 1:/
        stdin 1:1
        """, text);
  }

  @Test
  void encode_seccompIsRawBytes() {
    byte[] bpf = {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f};
    byte[] out = PlanEncoder.encode(exec(List.of("true"), bpf));
    String text = new String(out, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("seccomp 8:" + new String(bpf, StandardCharsets.ISO_8859_1) + "\nseccomp-flags 1:0\n"));
  }

  @Test
  void security_rejectsPartialInstructions() {
    assertThrows(IllegalArgumentException.class, () -> exec(List.of("true"), new byte[5]));
  }

  @Test
  void capabilities_maskAndHostLimit() {
    long mask = CapabilitySets.mask(List.of("CAP_CHOWN", "NET_BIND_SERVICE", "CAP_SYS_RESOURCE"));
    assertEquals(1L | 1L << 10 | 1L << 24, mask);
    CapabilitySets limited = new CapabilitySets(mask, mask, mask, 0, 0).within(~(1L << 24));
    assertEquals(1L | 1L << 10, limited.permitted());
    assertThrows(IllegalArgumentException.class, () -> CapabilitySets.mask(List.of("CAP_NOPE")));
  }

  @Test
  void hostFacts_cgroupV1LinesOnly() {
    assertEquals(List.of("pids", "cpu,cpuacct", "name=systemd"),
        HostFacts.parseCgroups("5:pids:/\n3:cpu,cpuacct:/x\n1:name=systemd:/\n0::/\n"));
  }
}
