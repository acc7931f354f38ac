package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cri.api.v1.ImageFilter;
import dev.kona.cri.api.v1.StreamImagesRequest;
import dev.kona.cri.api.v1.StreamImagesResponse;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class StreamImagesTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  @TempDir Path temp;

  @Test
  void streamImages_sendsEveryImageInChunksAndCompletes() {
    for (int i = 0; i < 3; i++) {
      registry.pusher().push("test/stream-" + i, "1", SampleImages.withUser(Integer.toString(2000 + i)));
    }
    try (CriFixture cri = new CriFixture(temp.resolve("images"), registry)) {
      for (int i = 0; i < 3; i++) {
        cri.pull("test/stream-" + i + ":1");
      }
      List<StreamImagesResponse> all = stream(cri, StreamImagesRequest.getDefaultInstance());
      assertEquals(3, all.stream().mapToInt(StreamImagesResponse::getImagesCount).sum());
      List<StreamImagesResponse> one =
          stream(cri, StreamImagesRequest.newBuilder().setFilter(ImageFilter.newBuilder().setImage(CriFixture.spec(cri.name("test/stream-1:1")))).build());
      assertEquals(1, one.size());
      assertEquals(2001, one.getFirst().getImages(0).getUid().getValue());
    }
  }

  private static List<StreamImagesResponse> stream(CriFixture cri, StreamImagesRequest request) {
    List<StreamImagesResponse> out = new ArrayList<>();
    boolean[] done = new boolean[1];
    cri.endpoint.streamImages(request, new StreamObserver<>() {
      @Override
      public void onNext(StreamImagesResponse value) {
        out.add(value);
      }

      @Override
      public void onError(Throwable t) {
        throw new AssertionError(t);
      }

      @Override
      public void onCompleted() {
        done[0] = true;
      }
    });
    assertTrue(done[0]);
    return out;
  }
}
