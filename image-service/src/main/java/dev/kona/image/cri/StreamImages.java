package dev.kona.image.cri;

import dev.kona.cri.api.v1.StreamImagesRequest;
import dev.kona.cri.api.v1.StreamImagesResponse;
import dev.kona.image.ImageService;
import dev.kona.image.store.ImageRecord;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** StreamImages: ListImages in chunks, so a large store never makes one oversized message. */
final class StreamImages {

  static final int CHUNK = 100;

  private final ImageService images;

  StreamImages(ImageService images) {
    this.images = images;
  }

  void handle(StreamImagesRequest request, StreamObserver<StreamImagesResponse> response) {
    String filter = request.hasFilter() && request.getFilter().hasImage() ? request.getFilter().getImage().getImage() : "";
    List<ImageRecord> selected = filter.isEmpty() ? images.list() : images.find(filter).map(List::of).orElse(List.of());
    for (int from = 0; from < selected.size(); from += CHUNK) {
      StreamImagesResponse.Builder chunk = StreamImagesResponse.newBuilder();
      for (ImageRecord record : selected.subList(from, Math.min(selected.size(), from + CHUNK))) {
        chunk.addImages(CriImages.toCri(record));
      }
      response.onNext(chunk.build());
    }
    response.onCompleted();
  }
}
