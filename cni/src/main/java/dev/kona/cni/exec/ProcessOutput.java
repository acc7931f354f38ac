package dev.kona.cni.exec;

/**
 * What a finished plugin process left.
 *
 * @param exitCode the exit status
 * @param stdout the bytes written to stdout (capped)
 * @param stderr stderr (capped), for messages and logs
 */
public record ProcessOutput(int exitCode, byte[] stdout, String stderr) {}
