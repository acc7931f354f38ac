package dev.kona.server.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.runtime.RuntimeHandlers.Features;
import org.junit.jupiter.api.Test;

/** What a runc/crun handler reports from its {@code features} document, and what it must not. */
class HandlerFeaturesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // The part of Debian bookworm's `runc features` (1.1.5) that matters here.
  private static final String RUNC_1_1 = """
      {"ociVersionMin":"1.0.0","ociVersionMax":"1.1.0-rc.1",
       "mountOptions":["async","bind","rbind","ro","rro","rw"],
       "linux":{"namespaces":["cgroup","ipc","mount","network","pid","user","uts"]}}
      """;

  private static final String RUNC_1_2 = """
      {"mountOptions":["rbind","rro"],
       "linux":{"namespaces":["mount","user"],"mountExtensions":{"idmap":{"enabled":true}}}}
      """;

  @Test
  void ociRuntime_rroListed_isOfferedOnlyWhenTheKernelHasMountSetattr() throws Exception {
    JsonNode runc = JSON.readTree(RUNC_1_1);
    assertEquals(new Features(true, false), HandlerFeatures.ociRuntime("runc", runc, true));
    assertEquals(new Features(false, false), HandlerFeatures.ociRuntime("runc", runc, false));
  }

  @Test
  void ociRuntime_userNamespaces_needTheUserNamespaceAndIdmappedMounts() throws Exception {
    assertEquals(new Features(true, true), HandlerFeatures.ociRuntime("runc", JSON.readTree(RUNC_1_2), true));
    // runc 1.1 joins user namespaces but cannot idmap the kubelet's volumes.
    assertEquals(false, HandlerFeatures.ociRuntime("runc", JSON.readTree(RUNC_1_1), true).userNamespaces());
  }

  @Test
  void ociRuntime_withoutAFeaturesDocument_offersNothing() {
    // crun 1.8.1 has no features subcommand.
    assertEquals(Features.NONE, HandlerFeatures.ociRuntime("crun", null, true));
  }
}
