package io.parallax.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Checking task parameters")
class ParamSpecTest {

  private static final List<ParamSpec> SPECS = List.of(
      ParamSpec.integer("count", 10L, 1, 100, "a count"),
      ParamSpec.number("ratio", 0.5, 0, 1, "a ratio"),
      ParamSpec.string("name", 8, "a name"),
      ParamSpec.optionalBase64("salt", 1, 4, "a salt"));

  @Test
  @DisplayName("fills defaults and normalises integral numbers")
  void fillsDefaults() {
    JsonObject params = ParamSpec.validate(SPECS, new JsonObject().put("name", "ada").put("count", 7.0));
    assertThat(params.getLong("count")).isEqualTo(7L);
    assertThat(params.getDouble("ratio")).isEqualTo(0.5);
    assertThat(params.containsKey("salt")).isFalse();
  }

  @Test
  @DisplayName("names the field of every problem")
  void namesTheField() {
    assertRejected(new JsonObject(), "name", "name is required");
    assertRejected(new JsonObject().put("name", "a").put("count", 0), "count", "count must be between 1 and 100");
    assertRejected(new JsonObject().put("name", "a").put("count", 1.5), "count", "count must be an integer");
    assertRejected(new JsonObject().put("name", "a").put("count", "5"), "count", "count must be an integer");
    assertRejected(new JsonObject().put("name", "a").put("ratio", 2), "ratio", "ratio must be between");
    assertRejected(new JsonObject().put("name", "ninechars"), "name", "name must be between 0 and 8 bytes");
    assertRejected(new JsonObject().put("name", "a").put("salt", "!!"), "salt", "salt must be valid base64");
    assertRejected(new JsonObject().put("name", "a").put("salt", "AAAAAAAA"), "salt", "salt must be between");
    assertRejected(new JsonObject().put("name", "a").put("colour", "red"), "colour", "unknown parameter 'colour'");
  }

  private static void assertRejected(JsonObject raw, String field, String message) {
    assertThatThrownBy(() -> ParamSpec.validate(SPECS, raw))
        .isInstanceOfSatisfying(TaskException.class, e -> {
          assertThat(e.failure().field()).isEqualTo(field);
          assertThat(e.failure().message()).startsWith(message);
        });
  }
}
