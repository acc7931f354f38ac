package dev.kona.cni.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kona.cni.exec.RuntimeArgs;

/**
 * What ADD left for DEL, CHECK and GC: the attachment, the exact config it ran with, and the final
 * result.
 *
 * @param networkName the network
 * @param args the attachment parameters as ADD had them
 * @param configJson the conflist as ADD used it
 * @param result the final ADD result, raw as the last plugin printed it
 */
public record CachedAttachment(String networkName, RuntimeArgs args, String configJson, JsonNode result) {

  public CachedAttachment {
    result = result == null ? null : result.deepCopy();
  }

  @Override
  public JsonNode result() {
    return result == null ? null : result.deepCopy();
  }
}
