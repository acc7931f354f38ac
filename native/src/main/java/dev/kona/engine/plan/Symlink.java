package dev.kona.engine.plan;

/** A symlink created in the container: {@code link} points at {@code target}. */
public record Symlink(String target, String link) {}
