package dev.kona.image.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Pushes test images through the registry HTTP API v2: monolithic blob uploads (POST then PUT with
 * the digest), then manifests; indexes after their platform manifests, as the registry checks that
 * what an index names exists.
 */
public final class RegistryPusher {

  private final String url;
  private final String authorization;
  private final TokenIssuer tokens;
  private final HttpClient http;

  RegistryPusher(String url, String user, String password, TokenIssuer tokens, HttpClient http) {
    this.url = url;
    this.http = http;
    this.tokens = tokens;
    this.authorization =
        user == null
            ? null
            : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Pushes the image's blobs and its manifest under {@code repository:tag}. */
  public void push(String repository, String tag, BuiltImage image) {
    pushBlobs(repository, image);
    putManifest(repository, tag, image.manifest());
  }

  /** Pushes every image's blobs and manifest (by digest), then the index under {@code tag}. */
  public void pushIndex(String repository, String tag, Blob index, BuiltImage... images) {
    for (BuiltImage image : images) {
      pushBlobs(repository, image);
      putManifest(repository, image.manifest().digest().toString(), image.manifest());
    }
    putManifest(repository, tag, index);
  }

  public void pushBlobs(String repository, BuiltImage image) {
    pushBlob(repository, image.config());
    for (Blob layer : image.layers()) {
      pushBlob(repository, layer);
    }
  }

  public void pushBlob(String repository, Blob blob) {
    HttpResponse<String> head =
        send(request(URI.create(url + "/v2/" + repository + "/blobs/" + blob.digest()), repository).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (head.statusCode() == 200) {
      return;
    }
    HttpResponse<String> started =
        send(request(URI.create(url + "/v2/" + repository + "/blobs/uploads/"), repository).POST(HttpRequest.BodyPublishers.noBody()));
    expect(started, 202, "start upload of " + blob.digest());
    String location = started.headers().firstValue("Location").orElseThrow();
    URI upload = URI.create(url).resolve(location);
    String separator = upload.toString().contains("?") ? "&" : "?";
    URI put = URI.create(upload + separator + "digest=" + blob.digest());
    HttpResponse<String> done =
        send(
            request(put, repository)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob.bytes())));
    expect(done, 201, "upload " + blob.digest());
  }

  public void putManifest(String repository, String reference, Blob manifest) {
    HttpResponse<String> response =
        send(
            request(URI.create(url + "/v2/" + repository + "/manifests/" + reference), repository)
                .header("Content-Type", manifest.mediaType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())));
    expect(response, 201, "put manifest " + repository + ":" + reference);
  }

  private HttpRequest.Builder request(URI uri, String repository) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    } else if (tokens != null) {
      builder.header("Authorization", "Bearer " + tokens.issue(repository, "pull,push"));
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(what + ": HTTP " + response.statusCode() + ": " + response.body());
    }
  }
}
