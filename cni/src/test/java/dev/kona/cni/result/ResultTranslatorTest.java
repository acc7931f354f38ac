package dev.kona.cni.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.cni.config.CniVersion;
import dev.kona.common.error.ErrorKind;
import dev.kona.common.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ResultTranslatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void toDomain_v1Result() throws Exception {
    CniResult r =
        ResultTranslator.toDomain(
            JSON.readTree(
                """
                {"cniVersion": "1.0.0",
                 "interfaces": [{"name": "cni0", "mac": "00:11:22:33:44:55"},
                                {"name": "eth0", "mac": "99:88:77:66:55:44", "sandbox": "/run/netns/blue"}],
                 "ips": [{"address": "10.1.0.5/16", "gateway": "10.1.0.1", "interface": 1},
                         {"address": "fd00::5/64", "interface": 1}],
                 "routes": [{"dst": "0.0.0.0/0"}],
                 "dns": {"nameservers": ["10.1.0.1"]}}"""),
            CniVersion.LATEST);
    assertEquals(CniVersion.parse("1.0.0"), r.cniVersion());
    assertEquals(2, r.interfaces().size());
    assertTrue(r.interfaces().get(1).inSandbox());
    assertEquals("10.1.0.5/16", r.ips().get(0).toString());
    assertEquals("10.1.0.1", r.ips().get(0).gateway().getHostAddress());
    assertEquals(1, r.ips().get(1).interfaceIndex());
    assertEquals(java.util.List.of("10.1.0.1"), r.dnsNameservers());
  }

  @Test
  void toDomain_v040ResultWithVersionField() throws Exception {
    CniResult r =
        ResultTranslator.toDomain(
            JSON.readTree(
                "{\"cniVersion\": \"0.4.0\", \"ips\": [{\"version\": \"4\", \"address\": \"10.1.0.5/16\"}]}"),
            CniVersion.LATEST);
    assertEquals(CniVersion.V0_4_0, r.cniVersion());
    assertNull(r.ips().getFirst().interfaceIndex());
  }

  @Test
  void toDomain_missingVersion_takesConfigVersion() throws Exception {
    CniResult r = ResultTranslator.toDomain(JSON.readTree("{\"ips\": []}"), CniVersion.V0_4_0);
    assertEquals(CniVersion.V0_4_0, r.cniVersion());
  }

  @Test
  void toDomain_badInterfaceIndex_fails() throws Exception {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () ->
                ResultTranslator.toDomain(
                    JSON.readTree("{\"ips\": [{\"address\": \"10.1.0.5/16\", \"interface\": 3}]}"),
                    CniVersion.LATEST));
    assertTrue(e.getMessage().contains("ips[].interface 3"), e.getMessage());
  }

  @Test
  void toDomain_addressNotCidr_fails() throws Exception {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () -> ResultTranslator.toDomain(JSON.readTree("{\"ips\": [{\"address\": \"hello\"}]}"), CniVersion.LATEST));
    assertTrue(e.getMessage().contains("ips[].address"), e.getMessage());
  }

  @Test
  void toVersions_readsSupportedVersions() throws Exception {
    var versions =
        ResultTranslator.toVersions(
            JSON.readTree("{\"cniVersion\": \"1.0.0\", \"supportedVersions\": [\"1.0.0\", \"0.4.0\"]}"));
    assertEquals(java.util.Set.of(CniVersion.V0_4_0, CniVersion.parse("1.0.0")), versions);
    assertThrows(InvalidArgumentException.class, () -> ResultTranslator.toVersions(JSON.readTree("{}")));
  }

  @Test
  void toError_readsCodeMsgDetails() throws Exception {
    CniError error =
        ResultTranslator.toError(
            JSON.readTree("{\"cniVersion\": \"1.1.0\", \"code\": 7, \"msg\": \"Invalid Configuration\", \"details\": \"too small\"}"));
    assertEquals(new CniError(7, "Invalid Configuration", "too small"), error);
    assertEquals(ErrorKind.FAILED_PRECONDITION, error.kind());
    assertEquals("code 7 \"Invalid Configuration\": too small", error.toString());
    assertEquals(ErrorKind.UNAVAILABLE, new CniError(11, "", "").kind());
    assertEquals(ErrorKind.INTERNAL, new CniError(100, "", "").kind());
  }
}
