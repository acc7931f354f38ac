package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.Container;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListContainersResponse;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Limits that keep the node alive: labels and annotations are capped where the request enters
 * (with INVALID_ARGUMENT naming the field and key), requests shaped like the kubelet's are never
 * refused, and ListContainers keeps answering under the kubelet's 16 MiB message limit however
 * many containers carry labels and annotations at the caps.
 */
class RequestLimitsTest extends OnePodSuite {

  /** The caps Kona documents: labels 256 KiB, annotations 512 KiB per object (keys plus values). */
  private static final int LABELS_CAP = 256 * 1024;
  private static final int ANNOTATIONS_CAP = 512 * 1024;

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  RequestLimitsTest() {
    super(registry, registry::image, "limits");
  }

  /** The labels the kubelet puts on every container (kuberuntime's newContainerLabels). */
  private Map<String, String> kubeletLabels(String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("io.kubernetes.pod.name", "limits");
    labels.put("io.kubernetes.pod.namespace", "default");
    labels.put("io.kubernetes.pod.uid", "0b9e3b5e-6d9c-4c53-9a2c-6b8f4fe0d9a1");
    labels.put("io.kubernetes.container.name", name);
    return labels;
  }

  /** The annotations the kubelet puts on every container (kuberuntime's newContainerAnnotations). */
  private static Map<String, String> kubeletAnnotations() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("io.kubernetes.container.hash", "9f4c2a1d");
    a.put("io.kubernetes.container.restartCount", "0");
    a.put("io.kubernetes.container.terminationMessagePath", "/dev/termination-log");
    a.put("io.kubernetes.container.terminationMessagePolicy", "File");
    a.put("io.kubernetes.pod.terminationGracePeriod", "30");
    a.put("io.kubernetes.container.ports", "[{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"}]");
    a.put("io.kubernetes.container.preStopHandler", "{\"exec\":{\"command\":[\"sh\",\"-c\",\"sleep 5\"]}}");
    return a;
  }

  private ContainerConfig.Builder container(String name) {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addCommand("true")
        .putAllLabels(kubeletLabels(name))
        .putAllAnnotations(kubeletAnnotations())
        // and, for procMount Default, its default masked and read-only /proc paths
        .setLinux(dev.kona.cri.api.v1.LinuxContainerConfig.newBuilder().setSecurityContext(
            dev.kona.cri.api.v1.LinuxContainerSecurityContext.newBuilder()
                .addAllMaskedPaths(PodIdentityTest.KUBELET_MASKED).addAllReadonlyPaths(PodIdentityTest.KUBELET_READONLY)));
  }

  private String create(ContainerConfig.Builder config) {
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
        .setConfig(config).setSandboxConfig(PodSandboxTest.config("limits")).build()).getContainerId();
  }

  private static void assertInvalid(Executable call, String... inMessage) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    for (String part : inMessage) {
      assertTrue(e.getStatus().getDescription().contains(part), "\"" + part + "\" not in: " + e.getStatus().getDescription());
    }
  }

  /** {@code count} entries whose keys and values add up to {@code total} bytes. */
  private static Map<String, String> filler(String prefix, int count, int total) {
    Map<String, String> m = new LinkedHashMap<>();
    int each = total / count;
    for (int i = 0; i < count; i++) {
      String key = prefix + "/k" + i;
      m.put(key, "v".repeat(each - key.length()));
    }
    return m;
  }

  @Test
  void createContainer_tenMegabyteLabel_invalidArgumentNamingKey() {
    assertInvalid(() -> create(container("big").putLabels("huge", "x".repeat(10 * 1024 * 1024))),
        "config.labels", "huge");
    assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
  }

  @Test
  void createContainer_annotationsOverCap_invalidArgument() {
    assertInvalid(() -> create(container("big").putAllAnnotations(filler("example.com", 9, ANNOTATIONS_CAP + 1024))),
        "config.annotations");
  }

  @Test
  void createContainer_keyLongerThanQualifiedName_invalidArgument() {
    String key = "a".repeat(254) + "/" + "b".repeat(63);
    assertInvalid(() -> create(container("key").putLabels(key, "v")), "config.labels", "key");
  }

  @Test
  void runPodSandbox_labelsOverCap_invalidArgumentNamingField() {
    PodSandboxConfig config = PodSandboxTest.config("biglabels").toBuilder()
        .putAllLabels(filler("example.com", 5, LABELS_CAP + 1024)).build();
    assertInvalid(() -> kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()),
        "config.labels");
  }

  @Test
  void runPodSandbox_kubeletPodAtTheApiServersAnnotationLimit_accepted() {
    // The API server admits annotations up to 256 KiB in total; the kubelet adds its config.* ones.
    PodSandboxConfig config = PodSandboxTest.config("apimax").toBuilder()
        .putAllAnnotations(filler("example.com", 8, 256 * 1024))
        .putAnnotations("kubernetes.io/config.seen", "2026-12-03T08:00:00.123456789Z")
        .putAnnotations("kubernetes.io/config.source", "api")
        .putAnnotations("kubernetes.io/config.hash", "3b5e6d9c4c539a2c6b8f4fe0d9a1")
        .putLabels("io.kubernetes.pod.name", "a".repeat(253))
        .build();
    kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build());
  }

  @Test
  void runPodSandbox_overlongMetadataAndHostname_invalidArgumentNamingField() {
    PodSandboxConfig base = PodSandboxTest.config("meta");
    assertInvalid(() -> kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(base.toBuilder()
        .setMetadata(base.getMetadata().toBuilder().setName("n".repeat(254)))).build()), "config.metadata.name");
    assertInvalid(() -> kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(base.toBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("meta").setNamespace("ns".repeat(200))
            .setUid(UUID.randomUUID().toString()))).build()), "config.metadata.namespace");
    assertInvalid(() -> kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(base.toBuilder()
        .setHostname("h".repeat(65))).build()), "config.hostname");
    assertInvalid(() -> create(container("c".repeat(254))), "config.metadata.name");
  }

  @Test
  void listContainers_manyContainersWithLabelsAndAnnotationsAtTheCaps_answersUnderTheMessageLimit() {
    int count = 24; // 24 x (256 KiB + 512 KiB) = 18 MiB: more than the kubelet's 16 MiB if sent whole
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      ContainerConfig.Builder config = container("c" + i);
      int kubeletLabelBytes = size(config.getLabelsMap());
      int kubeletAnnotationBytes = size(config.getAnnotationsMap());
      config.putAllLabels(filler("example.com", 4, LABELS_CAP - kubeletLabelBytes - 64));
      config.putAllAnnotations(filler("example.com", 8, ANNOTATIONS_CAP - kubeletAnnotationBytes - 64));
      ids.add(create(config));
    }

    ListContainersResponse list = kona.runtime().listContainers(ListContainersRequest.getDefaultInstance());
    assertTrue(list.getSerializedSize() < 16 * 1024 * 1024, "answer of " + list.getSerializedSize() + " bytes");
    Set<String> listed = new HashSet<>();
    for (Container c : list.getContainersList()) {
      listed.add(c.getId());
      // What the kubelet's relist reads from each item stays whole.
      assertEquals(kubeletLabels(c.getMetadata().getName()),
          Map.copyOf(c.getLabelsMap()).entrySet().stream().filter(e -> e.getKey().startsWith("io.kubernetes."))
              .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      assertEquals("9f4c2a1d", c.getAnnotationsOrThrow("io.kubernetes.container.hash"));
    }
    assertEquals(ids, listed);

    // The full labels are still in ContainerStatus, one container at a time.
    String one = ids.iterator().next();
    assertEquals(4 + 4, kona.containerStatus(one).getLabelsCount());

    kona.runtime().listContainerStats(ListContainerStatsRequest.getDefaultInstance());
  }

  private static int size(Map<String, String> m) {
    return m.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
  }
}
