package dev.kona.image;

/**
 * The {@code [images]} section of kona.toml.
 *
 * @param maxConcurrentDownloads layers fetched at once per pull
 */
public record ImageConfig(int maxConcurrentDownloads) {

  public ImageConfig {
    if (maxConcurrentDownloads < 1) {
      throw new IllegalArgumentException("images.max_concurrent_downloads must be at least 1, got " + maxConcurrentDownloads);
    }
  }

  public static ImageConfig defaults() {
    return new ImageConfig(3);
  }
}
