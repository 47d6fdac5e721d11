package dev.ticklake.transforms.delta.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** Flat string maps to and from JSON (commit metadata). */
public final class JsonMaps {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonMaps() {}

  public static String toJson(Map<String, String> map) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(map));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Map<String, String> fromJson(String json) {
    try {
      return MAPPER.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a JSON object of strings: " + json, e);
    }
  }
}
