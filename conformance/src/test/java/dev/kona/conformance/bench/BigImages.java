package dev.kona.conformance.bench;

import com.github.luben.zstd.ZstdOutputStream;
import dev.kona.image.content.Digest;
import dev.kona.image.testing.TestImages;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The big-image benchmark's images, built from this host's installed Debian packages (their files as
 * {@code dpkg -L} lists them: real binaries, libraries and many small files, no random data), a
 * busybox layer first so that a container of it runs {@code sleep}. The same six layers twice: gzip
 * (level 6, as docker and buildkit write them) and zstd (level 3). Built blobs are cached under
 * {@code /var/cache/kona-bench-images/<key>}, the key being the layer plan and the exact package
 * versions, so a second run only pushes.
 */
final class BigImages {

  static final Path CACHE = Path.of("/var/cache/kona-bench-images");

  /** Packages per layer after the busybox one; the golang layer is the one over 400 MiB. */
  static final List<List<String>> LAYERS = List.of(
      List.of("golang-1.19-go", "golang-1.19-src"),
      List.of("libllvm14", "llvm-14", "llvm-14-dev"),
      List.of("openjdk-17-jre-headless", "openjdk-17-jdk-headless"),
      List.of("gcc-12", "cpp-12", "libclang-cpp14"),
      List.of("vim-runtime", "git", "git-man"));

  enum Compression {
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

    final String mediaType;

    Compression(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  /** A built layer blob in the cache. */
  record Layer(Path file, Digest digest, long size, Digest diffId, long tarSize) {}

  /** A built image: its layers in the cache, config and manifest in memory. */
  record Image(List<Layer> layers, byte[] config, byte[] manifest, Compression compression) {
    long compressedSize() {
      return layers.stream().mapToLong(Layer::size).sum();
    }

    long tarSize() {
      return layers.stream().mapToLong(Layer::tarSize).sum();
    }
  }

  private BigImages() {}

  /** Builds (or finds in the cache) the image with {@code compression}, two layers at a time. */
  static Image build(Compression compression) throws Exception {
    Path dir = CACHE.resolve(key() + "-" + compression.name().toLowerCase());
    Files.createDirectories(dir);
    List<Future<Layer>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      futures.add(pool.submit(() -> layer(dir.resolve("0"), compression, out -> out.write(TestImages.busyboxBase().tar()))));
      for (int i = 0; i < LAYERS.size(); i++) {
        List<String> packages = LAYERS.get(i);
        Path base = dir.resolve(Integer.toString(i + 1));
        futures.add(pool.submit(() -> layer(base, compression, out -> writeTar(packages, out))));
      }
    }
    List<Layer> layers = new ArrayList<>();
    for (Future<Layer> f : futures) {
      layers.add(f.get());
    }
    StringBuilder diffIds = new StringBuilder();
    StringBuilder descriptors = new StringBuilder();
    for (Layer layer : layers) {
      diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(layer.diffId()).append('"');
      descriptors.append(descriptors.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(compression.mediaType)
          .append("\",\"digest\":\"").append(layer.digest()).append("\",\"size\":").append(layer.size()).append('}');
    }
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sleep\",\"86400\"],"
        + "\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digest.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[" + descriptors + "]}").getBytes(StandardCharsets.UTF_8);
    return new Image(layers, config, manifest, compression);
  }

  /** The cache key: the layer plan and the installed version of every package in it. */
  static String key() throws IOException, InterruptedException {
    StringBuilder plan = new StringBuilder("v1 gzip-6 zstd-3 busybox " + TestImages.busyboxBase().tar().length + "\n");
    for (List<String> packages : LAYERS) {
      for (String p : packages) {
        plan.append(p).append('=').append(run("dpkg-query", "-W", "-f=${Version}", p)).append(' ');
      }
      plan.append('\n');
    }
    return Digest.sha256(plan.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16);
  }

  private interface TarWriter {
    void write(OutputStream tar) throws IOException, InterruptedException;
  }

  /** Writes one compressed layer into {@code base}.blob with its digests in {@code base}.meta, unless there. */
  private static Layer layer(Path base, Compression compression, TarWriter writer) throws Exception {
    Path blob = base.resolveSibling(base.getFileName() + ".blob");
    Path meta = base.resolveSibling(base.getFileName() + ".meta");
    if (Files.exists(meta) && Files.exists(blob)) {
      String[] m = Files.readString(meta).trim().split(" ");
      return new Layer(blob, Digest.parse(m[0]), Long.parseLong(m[1]), Digest.parse(m[2]), Long.parseLong(m[3]));
    }
    Path temp = base.resolveSibling(base.getFileName() + ".tmp");
    MessageDigest blobDigest = Digest.newSha256();
    MessageDigest tarDigest = Digest.newSha256();
    CountingOutputStream tarCount;
    try (OutputStream file = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20), blobDigest);
        OutputStream compressed = compression == Compression.GZIP
            ? new GZIPOutputStream(file, 1 << 16)
            : new ZstdOutputStream(file, 3);
        OutputStream tar = new DigestOutputStream(tarCount = new CountingOutputStream(compressed), tarDigest)) {
      writer.write(tar);
    }
    Layer layer = new Layer(blob, Digest.sha256Of(blobDigest), Files.size(temp), Digest.sha256Of(tarDigest), tarCount.count);
    Files.move(temp, blob, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(meta, layer.digest() + " " + layer.size() + " " + layer.diffId() + " " + layer.tarSize() + "\n");
    return layer;
  }

  /** A tar of every file, directory and symlink the packages installed (hard links as plain files). */
  private static void writeTar(List<String> packages, OutputStream out) throws IOException, InterruptedException {
    Set<String> paths = new LinkedHashSet<>();
    for (String p : packages) {
      for (String line : run("dpkg", "-L", p).split("\n")) {
        if (line.startsWith("/") && !line.equals("/.")) {
          paths.add(line);
        }
      }
    }
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 10240, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    Set<String> written = new LinkedHashSet<>();
    for (String path : paths.stream().sorted().toList()) {
      Path file = Path.of(path);
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        continue; // dpkg's path-exclude (docs, man pages) or a diverted file
      }
      addParents(tar, file.getParent(), written);
      add(tar, file, written);
    }
    tar.finish();
    tar.flush();
  }

  private static void addParents(TarArchiveOutputStream tar, Path dir, Set<String> written) throws IOException {
    if (dir == null || dir.getNameCount() == 0 || written.contains(dir.toString())) {
      return;
    }
    addParents(tar, dir.getParent(), written);
    add(tar, dir, written);
  }

  private static void add(TarArchiveOutputStream tar, Path file, Set<String> written) throws IOException {
    if (!written.add(file.toString())) {
      return;
    }
    PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String name = file.toString().substring(1);
    TarArchiveEntry entry;
    if (attrs.isSymbolicLink()) {
      entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(Files.readSymbolicLink(file).toString());
    } else if (attrs.isDirectory()) {
      entry = new TarArchiveEntry(name + "/");
    } else if (attrs.isRegularFile()) {
      entry = new TarArchiveEntry(name);
      entry.setSize(attrs.size());
    } else {
      return;
    }
    entry.setMode(mode(attrs.permissions()) | (entry.isDirectory() ? 040000 : entry.isSymbolicLink() ? 0120000 : 0100000));
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setModTime(attrs.lastModifiedTime().toMillis());
    tar.putArchiveEntry(entry);
    if (attrs.isRegularFile()) {
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
  }

  private static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }

  /** Pushes the image under {@code repository:tag}, streaming the layer files. */
  static void push(String registryHost, String repository, String tag, Image image) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String url = "http://" + registryHost;
    for (Layer layer : image.layers()) {
      HttpRequest.BodyPublisher body;
      try {
        body = HttpRequest.BodyPublishers.ofFile(layer.file());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      pushBlob(http, url, repository, layer.digest(), body, layer.file().toString());
    }
    pushBlob(http, url, repository, Digest.sha256(image.config()), HttpRequest.BodyPublishers.ofByteArray(image.config()), "config");
    HttpResponse<String> put = send(http, HttpRequest.newBuilder(URI.create(url + "/v2/" + repository + "/manifests/" + tag))
        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest())));
    expect(put, 201, "put manifest " + repository + ":" + tag);
  }

  private static void pushBlob(HttpClient http, String url, String repository, Digest digest, HttpRequest.BodyPublisher body,
      String what) {
    HttpResponse<String> head = send(http, HttpRequest.newBuilder(URI.create(url + "/v2/" + repository + "/blobs/" + digest))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (head.statusCode() == 200) {
      return;
    }
    HttpResponse<String> started = send(http, HttpRequest.newBuilder(URI.create(url + "/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    expect(started, 202, "start upload of " + what);
    URI upload = URI.create(url).resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = upload.toString().contains("?") ? "&" : "?";
    HttpResponse<String> done = send(http, HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
        .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/octet-stream").PUT(body));
    expect(done, 201, "upload " + what);
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
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

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
    }
    return out;
  }

  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
