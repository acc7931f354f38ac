package dev.kona.oci.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes {@code config.json}. Unknown fields (other platforms, newer spec versions) are
 * ignored on read, so a runtime's own extensions do not break us; they are not written back.
 */
public final class SpecJson {
  public static final String FILE_NAME = "config.json";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private SpecJson() {}

  /** The shared mapper, configured for spec shapes; also good for other OCI JSON (state, features). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static Spec parse(String json) {
    try {
      return MAPPER.readValue(json, Spec.class);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("parse OCI runtime spec: " + e.getOriginalMessage(), e);
    }
  }

  public static String toJson(Spec spec) {
    try {
      return MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new InternalException("write OCI runtime spec: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads {@code bundle/config.json}. */
  public static Spec read(Path bundle) {
    Path file = bundle.resolve(FILE_NAME);
    try {
      return parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("read " + file + ": no such file", e);
    } catch (IOException e) {
      throw new InternalException("read " + file + ": " + e.getMessage(), e);
    } catch (InvalidArgumentException e) {
      throw (InvalidArgumentException) e.withContext("read " + file);
    }
  }

  /**
   * Writes {@code bundle/config.json} atomically and readable by root only (it holds the
   * container's environment) and returns its path.
   */
  public static Path write(Path bundle, Spec spec) {
    Path file = bundle.resolve(FILE_NAME);
    try {
      AtomicFile.write(file, toJson(spec).getBytes(StandardCharsets.UTF_8), AtomicFile.PRIVATE);
      return file;
    } catch (IOException e) {
      throw new InternalException("write " + file + ": " + e.getMessage(), e);
    }
  }
}
