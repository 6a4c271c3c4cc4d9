package io.parallax.compute;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One parameter of a task: its type, whether it is required, its default and its bounds. The same
 * description drives validation and {@code GET /api/tasks}.
 *
 * @param min for numbers the smallest value; for strings the smallest length in bytes (UTF-8, or decoded for base64)
 * @param max for numbers the largest value; for strings the largest length in bytes
 */
public record ParamSpec(String name, Type type, boolean required, Object defaultValue, Number min, Number max,
                        String description) {

  /** JSON types a parameter can take. */
  public enum Type {
    INTEGER("integer"), NUMBER("number"), STRING("string"), BASE64("base64"), STRING_ARRAY("array of strings");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static ParamSpec integer(String name, Long defaultValue, long min, long max, String description) {
    return new ParamSpec(name, Type.INTEGER, defaultValue == null, defaultValue, min, max, description);
  }

  public static ParamSpec number(String name, double defaultValue, double min, double max, String description) {
    return new ParamSpec(name, Type.NUMBER, false, defaultValue, min, max, description);
  }

  /** A required string of at most {@code maxBytes} UTF-8 bytes. */
  public static ParamSpec string(String name, int maxBytes, String description) {
    return new ParamSpec(name, Type.STRING, true, null, 0, maxBytes, description);
  }

  /** An optional base64 string (no default: the task decides what absence means). */
  public static ParamSpec optionalBase64(String name, int minBytes, int maxBytes, String description) {
    return new ParamSpec(name, Type.BASE64, false, null, minBytes, maxBytes, description);
  }

  public JsonObject describe() {
    JsonObject json = new JsonObject().put("name", name).put("type", type.label()).put("required", required);
    if (defaultValue != null) {
      json.put("default", defaultValue);
    }
    if (min != null) {
      json.put("min", min);
    }
    if (max != null) {
      json.put("max", max);
    }
    return json.put("description", description);
  }

  /**
   * Checks {@code raw} against {@code specs}: rejects unknown names, missing required values, wrong types
   * and values out of bounds, and returns a new object with defaults filled in and numbers normalised
   * (integers as {@code Long}, numbers as {@code Double}).
   */
  public static JsonObject validate(List<ParamSpec> specs, JsonObject raw) {
    for (String field : raw.fieldNames()) {
      if (specs.stream().noneMatch(spec -> spec.name.equals(field))) {
        throw TaskException.invalidParam(field, "unknown parameter '" + field + "'");
      }
    }
    JsonObject normalised = new JsonObject();
    for (ParamSpec spec : specs) {
      Object value = raw.getValue(spec.name);
      if (value == null) {
        if (spec.required) {
          throw TaskException.invalidParam(spec.name, spec.name + " is required");
        }
        if (spec.defaultValue != null) {
          normalised.put(spec.name, spec.defaultValue);
        }
        continue;
      }
      normalised.put(spec.name, spec.check(value));
    }
    return normalised;
  }

  private Object check(Object value) {
    return switch (type) {
      case INTEGER -> checkInteger(value);
      case NUMBER -> checkNumber(value);
      case STRING -> checkString(value);
      case BASE64 -> checkBase64(value);
      case STRING_ARRAY -> checkStringArray(value);
    };
  }

  private long checkInteger(Object value) {
    if (!(value instanceof Number number)) {
      throw outOfBounds("must be an integer");
    }
    BigDecimal decimal = new BigDecimal(number.toString());
    long result;
    try {
      result = decimal.longValueExact();
    } catch (ArithmeticException notAnExactLong) {
      throw outOfBounds("must be an integer");
    }
    if (result < min.longValue() || result > max.longValue()) {
      throw outOfBounds("must be between " + min + " and " + max);
    }
    return result;
  }

  private double checkNumber(Object value) {
    if (!(value instanceof Number number)) {
      throw outOfBounds("must be a number");
    }
    double result = number.doubleValue();
    if (!Double.isFinite(result) || result < min.doubleValue() || result > max.doubleValue()) {
      throw outOfBounds("must be between " + min + " and " + max);
    }
    return result;
  }

  private String checkString(Object value) {
    if (!(value instanceof String text)) {
      throw outOfBounds("must be a string");
    }
    checkLength(text.getBytes(StandardCharsets.UTF_8).length);
    return text;
  }

  private String checkBase64(Object value) {
    if (!(value instanceof String text)) {
      throw outOfBounds("must be a base64 string");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notBase64) {
      throw outOfBounds("must be valid base64");
    }
    checkLength(bytes.length);
    return text;
  }

  private Object checkStringArray(Object value) {
    if (!(value instanceof io.vertx.core.json.JsonArray array)) {
      throw outOfBounds("must be an array of strings");
    }
    if (array.size() < min.intValue() || array.size() > max.intValue()) {
      throw outOfBounds("must hold between " + min + " and " + max + " entries");
    }
    for (Object entry : array) {
      if (!(entry instanceof String)) {
        throw outOfBounds("must be an array of strings");
      }
    }
    return array;
  }

  private void checkLength(int bytes) {
    if (bytes < min.intValue() || bytes > max.intValue()) {
      throw outOfBounds("must be between " + min + " and " + max + " bytes long");
    }
  }

  private TaskException outOfBounds(String problem) {
    return TaskException.invalidParam(name, name + " " + problem);
  }
}
