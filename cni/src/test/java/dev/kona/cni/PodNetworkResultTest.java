package dev.kona.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.cni.config.CniVersion;
import dev.kona.cni.result.CniInterface;
import dev.kona.cni.result.CniResult;
import dev.kona.cni.result.IpConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodNetworkResultTest {

  @Test
  void from_ipv4First_hostInterfacesSkipped() {
    CniResult result =
        new CniResult(
            CniVersion.LATEST,
            List.of(new CniInterface("kona0", null, null), new CniInterface("eth0", null, "/run/netns/a")),
            List.of(
                IpConfig.parse("fd00::5/64", null, 1),
                IpConfig.parse("10.0.0.1/24", null, 0),
                IpConfig.parse("10.0.0.5/24", "10.0.0.1", 1)),
            List.of());
    PodNetworkResult pod = PodNetworkResult.from(result);
    assertEquals("10.0.0.5", pod.primaryIp());
    assertEquals(List.of("fd00:0:0:0:0:0:0:5"), pod.additionalIps());
  }

  @Test
  void from_noIps_emptyPrimary() {
    PodNetworkResult pod = PodNetworkResult.from(new CniResult(CniVersion.LATEST, List.of(), List.of(), List.of()));
    assertEquals("", pod.primaryIp());
  }
}
