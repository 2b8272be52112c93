package dev.alertdesk.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Map;

/** Writes JSON bodies and the JSON error shape {@code {"error": "..."}}. */
final class JsonResponses {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResponses() {}

  static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise response", e);
    }
  }

  static void error(Context ctx, int status, String message) {
    json(ctx, status, Map.of("error", message));
  }
}
