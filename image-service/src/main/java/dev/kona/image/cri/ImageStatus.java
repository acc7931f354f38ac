package dev.kona.image.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.common.error.InternalException;
import dev.kona.cri.api.v1.ImageStatusRequest;
import dev.kona.cri.api.v1.ImageStatusResponse;
import dev.kona.image.ImageService;
import dev.kona.image.content.Digest;
import dev.kona.image.store.ImageRecord;
import java.io.IOException;
import java.util.Optional;

/**
 * ImageStatus: an unknown image answers an empty status, not an error (the kubelet pulls on that).
 * With verbose, {@code info["info"]} holds the image config as containerd shows it ({@code imageSpec},
 * {@code chainID}).
 */
final class ImageStatus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageService images;

  ImageStatus(ImageService images) {
    this.images = images;
  }

  ImageStatusResponse handle(ImageStatusRequest request) {
    Optional<ImageRecord> found = images.find(request.getImage().getImage());
    if (found.isEmpty()) {
      return ImageStatusResponse.getDefaultInstance();
    }
    ImageRecord record = found.get();
    ImageStatusResponse.Builder response = ImageStatusResponse.newBuilder().setImage(CriImages.toCri(record));
    if (request.getVerbose()) {
      response.putInfo("info", verboseInfo(record));
    }
    return response.build();
  }

  private String verboseInfo(ImageRecord record) {
    try {
      JsonNode config = JSON.readTree(images.configJson(record));
      ObjectNode info = JSON.createObjectNode();
      info.put("id", record.id().toString());
      info.put("manifestDigest", record.manifestDigest().toString());
      info.put("chainID", record.chainIds().isEmpty() ? "" : record.chainIds().getLast().toString());
      info.putPOJO("chainIDs", record.chainIds().stream().map(Digest::toString).toList());
      info.set("imageSpec", config);
      return JSON.writeValueAsString(info);
    } catch (IOException e) {
      throw new InternalException("image status " + record.id() + ": read config: " + e, e);
    }
  }
}
