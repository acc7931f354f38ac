package dev.kona.oci.spec;

/** {@code process.consoleSize}: the terminal's initial size, in characters. */
public record ConsoleSize(int height, int width) {}
