package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cri.api.v1.Image;
import dev.kona.cri.api.v1.ImageFilter;
import dev.kona.cri.api.v1.ListImagesRequest;
import dev.kona.cri.api.v1.ListImagesResponse;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.TestImages;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ListImagesTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  @TempDir Path temp;
  CriFixture cri;

  @BeforeAll
  static void push() {
    var pusher = registry.pusher();
    pusher.push("test/user-uid", "1", SampleImages.withUser("1002"));
    pusher.push("test/user-name", "1", SampleImages.withUser("www-data"));
    pusher.push("test/user-uid-group", "1", SampleImages.withUser("1003:1004"));
    pusher.push("test/user-name-group", "1", SampleImages.withUser("www-data:1004"));
    pusher.push("test/user-huge-uid", "1", SampleImages.withUser("99999999999999999999:1"));
  }

  @BeforeEach
  void open() {
    cri = new CriFixture(temp.resolve("images"), registry);
  }

  @AfterEach
  void close() {
    cri.close();
  }

  private List<Image> list(String filter) {
    ListImagesRequest.Builder request = ListImagesRequest.newBuilder();
    if (filter != null) {
      request.setFilter(ImageFilter.newBuilder().setImage(CriFixture.spec(filter)));
    }
    return Calls.call(cri.endpoint::listImages, request.build()).getImagesList();
  }

  @Test
  void listImages_emptyStore_isEmpty() {
    assertEquals(List.of(), list(null));
  }

  /** Five images with 3.4 MiB of manifest annotations each: 17 MiB, past the 16 MiB the kubelet reads. */
  @Test
  void listImages_pastTheMessageLimit_fitsByTrimmingTheLargestAnnotations() {
    String big = "x".repeat(3_400_000);
    for (int i = 0; i < 5; i++) {
      registry.pusher().push("test/annotated-" + i, "1",
          TestImages.builder().layer(new LayerBuilder().file("f", "f", 0644)).label("annotated-" + i)
              .annotation("org.example.big", big).annotation("io.kubernetes.keep", "k" + i).build());
      cri.pull("test/annotated-" + i + ":1");
    }
    ListImagesResponse answer = Calls.call(cri.endpoint::listImages, ListImagesRequest.getDefaultInstance());
    assertTrue(answer.getSerializedSize() <= ImageServiceEndpoint.MAX_MESSAGE_BYTES, answer.getSerializedSize() + " bytes");
    assertEquals(5, answer.getImagesCount(), "every image is listed");
    for (Image image : answer.getImagesList()) {
      String n = image.getRepoTags(0).replaceAll(".*annotated-(\\d):1", "$1");
      assertEquals("k" + n, image.getSpec().getAnnotationsOrThrow("io.kubernetes.keep"), "the kubelet's annotations stay");
    }
    assertTrue(answer.getImagesList().stream().anyMatch(i -> !i.getSpec().containsAnnotations("org.example.big")), "some were trimmed");
    assertTrue(answer.getImagesList().stream().allMatch(i -> i.getSize() > 0 && !i.getId().isEmpty()));
  }

  /** Fuzzing found it: a user of digits past a long made every ListImages of the node fail. */
  @Test
  void listImages_userOfDigitsPastALong_isAUsernameAndTheListWorks() {
    cri.pull("test/user-huge-uid:1");
    cri.pull("test/user-uid:1");
    Map<String, Image> byTag = list(null).stream().collect(Collectors.toMap(i -> i.getRepoTags(0), i -> i));
    Image huge = byTag.get(cri.name("test/user-huge-uid:1"));
    assertFalse(huge.hasUid());
    assertEquals("99999999999999999999", huge.getUsername());
    assertEquals(1002, byTag.get(cri.name("test/user-uid:1")).getUid().getValue());
  }

  @Test
  void listImages_reportsUserAsUidOrUsername() {
    for (String repo : List.of("test/user-uid", "test/user-name", "test/user-uid-group", "test/user-name-group")) {
      cri.pull(repo + ":1");
    }
    Map<String, Image> byTag = list(null).stream().collect(Collectors.toMap(i -> i.getRepoTags(0), i -> i));
    assertEquals(4, byTag.size());
    Image uid = byTag.get(cri.name("test/user-uid:1"));
    assertTrue(uid.hasUid());
    assertEquals(1002, uid.getUid().getValue());
    assertEquals("", uid.getUsername());
    assertEquals(1003, byTag.get(cri.name("test/user-uid-group:1")).getUid().getValue());
    Image name = byTag.get(cri.name("test/user-name:1"));
    assertFalse(name.hasUid());
    assertEquals("www-data", name.getUsername());
    assertEquals("www-data", byTag.get(cri.name("test/user-name-group:1")).getUsername());
    assertTrue(uid.getSize() > 0);
    assertEquals(uid.getId(), uid.getSpec().getImage());
  }

  @Test
  void listImages_filter_selectsTheNamedImageOnly() {
    cri.pull("test/user-uid:1");
    cri.pull("test/user-name:1");
    List<Image> filtered = list(cri.name("test/user-name:1"));
    assertEquals(1, filtered.size());
    assertEquals(List.of(cri.name("test/user-name:1")), filtered.getFirst().getRepoTagsList());
    assertEquals(List.of(), list(cri.name("test/absent:1")));
  }
}
