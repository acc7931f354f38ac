package dev.kona.image.cri;

import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ImageFsInfoResponse;
import dev.kona.cri.api.v1.ImageServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;

/**
 * The CRI ImageService. Each RPC is one class; this endpoint only routes. Exceptions thrown here are
 * mapped to gRPC status codes by the daemon's interceptor. RPCs not overridden answer UNIMPLEMENTED.
 */
public final class ImageServiceEndpoint extends ImageServiceGrpc.ImageServiceImplBase {

  private final ImageFsInfo imageFsInfo;

  public ImageServiceEndpoint(Path imageRoot) {
    this.imageFsInfo = new ImageFsInfo(imageRoot);
  }

  @Override
  public void imageFsInfo(ImageFsInfoRequest request, StreamObserver<ImageFsInfoResponse> response) {
    response.onNext(imageFsInfo.handle(request));
    response.onCompleted();
  }
}
