package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An image with Docker's maximum of 127 layers runs. Its lowerdirs, as absolute paths, pass
 * mount(2)'s one-page limit on options, so the overlay is mounted with paths relative to the
 * snapshot directory, from a thread with a working directory of its own.
 */
class ManyLayersTest extends OnePodSuite {

  static final int LAYERS = 127;

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();
  static String image;

  @BeforeAll
  static void pushImage() throws Exception {
    TestImages.Builder builder = TestImages.builder().layer(TestImages.busyboxBase().dir("layers", 0755));
    for (int i = 1; i < LAYERS; i++) {
      builder.layer(new LayerBuilder().file("layers/" + i, "layer " + i + "\n", 0644));
    }
    BuiltImage built = builder.build();
    assertEquals(LAYERS, built.layers().size());
    image = registry.push("busybox-127-layers", built);
  }

  ManyLayersTest() {
    super(registry, () -> image, "layers");
  }

  @Test
  void containerOf127Layers_seesEveryLayer() throws Exception {
    Path images = root.resolve("state/images");
    assertTrue(LAYERS * (images.toString().length() + "/l/123456789012:".length()) > 4096,
        "the absolute lowerdirs of this image would not fit one page; the test would not test the relative mount");
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
        .setSandboxConfig(PodSandboxTest.config("layers"))
        .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("many"))
            .setImage(ImageSpec.newBuilder().setImage(image)).addAllCommand(List.of("sleep", "1000")))
        .build()).getContainerId();
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    ExecSyncResponse r = kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", "ls /layers | wc -l | tr -d ' '; cat /layers/1 /layers/126; echo w > /written; cat /written"))
        .setTimeout(10).build());
    assertEquals(0, r.getExitCode(), r.getStderr().toStringUtf8());
    assertEquals((LAYERS - 1) + "\nlayer 1\nlayer 126\nw\n", r.getStdout().toStringUtf8());
    assertTrue(Files.isDirectory(images.resolve("l")), "the layers' short links live where the check above assumed");
  }
}
