package dev.kona.image.snapshot;

import dev.kona.image.content.Digest;
import java.nio.file.Path;

/**
 * One committed snapshot: the unpacked content of a layer on top of its parents, keyed by chain ID.
 * {@code dir} holds only this layer's files (overlay stacks the parents); {@code link} is the short
 * name ({@code l/<id>}) used in overlay options.
 */
public record Snapshot(Digest chainId, Path dir, String link, long bytes, long inodes) {}
