package dev.ticklake.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/** A run's or backfill's conf, stored as JSON text, as the JSON value the API returns. */
final class RunConfs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunConfs() {}

  /** The stored text as JSON; null for none; text that is not JSON (never written by us) as is. */
  static JsonNode parse(String stored) {
    if (stored == null) {
      return null;
    }
    try {
      return JSON.readTree(stored);
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(stored);
    }
  }
}
