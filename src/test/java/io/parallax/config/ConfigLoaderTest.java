package io.parallax.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Loading the configuration")
class ConfigLoaderTest {

  @TempDir
  Path dir;

  private static ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(env::get, 6);
  }

  @Test
  @DisplayName("uses the built-in defaults, with auto values sized to the processors")
  void defaults() {
    ParallaxConfig config = loader(Map.of()).load(null, Map.of());
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.httpInstances()).isEqualTo(6);
    assertThat(config.workers()).isEqualTo(6);
    assertThat(config.maxQueued()).isEqualTo(24);
    assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(config.taskTimeoutMillis()).isEqualTo(30_000);
    assertThat(config.shutdownGraceMillis()).isEqualTo(10_000);
  }

  @Test
  @DisplayName("lets flags beat the environment, the environment beat the file, the file beat the defaults")
  void precedence() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"http\": {\"port\": 9001, \"instances\": 3}, \"workers\": {\"count\": 5}}");
    ParallaxConfig config = loader(Map.of("PARALLAX_HTTP_PORT", "9002", "PARALLAX_WORKERS", "4"))
        .load(file, Map.of(Setting.HTTP_PORT, "9003"));
    assertThat(config.httpPort()).isEqualTo(9003);
    assertThat(config.workers()).isEqualTo(4);
    assertThat(config.httpInstances()).isEqualTo(3);
    assertThat(config.maxQueued()).as("auto follows the chosen worker count").isEqualTo(16);
  }

  @Test
  @DisplayName("rejects invalid values with one line naming the key and where the value came from")
  void invalidValues() throws Exception {
    assertThatThrownBy(() -> loader(Map.of()).load(null, Map.of(Setting.HTTP_PORT, "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port must be between 0 and 65535 (got \"70000\" from flag --http-port)");
    assertThatThrownBy(() -> loader(Map.of("PARALLAX_WORKERS", "0")).load(null, Map.of()))
        .hasMessage("workers.count must be \"auto\" or between 1 and 256 (got \"0\" from environment variable "
            + "PARALLAX_WORKERS)");
    Path file = dir.resolve("bad-type.json");
    Files.writeString(file, "{\"tasks\": {\"timeoutMs\": \"soon\"}}");
    assertThatThrownBy(() -> loader(Map.of()).load(file, Map.of()))
        .hasMessageStartingWith("tasks.timeoutMs must be an integer (got \"soon\" from " + file);
  }

  @Test
  @DisplayName("rejects an unreadable or malformed config file")
  void badFiles() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> loader(Map.of()).load(missing, Map.of()))
        .hasMessage("cannot read config file " + missing + ": no such file");
    Path malformed = dir.resolve("malformed.json");
    Files.writeString(malformed, "{\"http\": ");
    assertThatThrownBy(() -> loader(Map.of()).load(malformed, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config file " + malformed + " is not a JSON object")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  @DisplayName("refuses a default task timeout above the largest allowed one")
  void timeoutOrder() {
    assertThatThrownBy(() -> loader(Map.of()).load(null, Map.of(Setting.TASK_TIMEOUT_MS, "400000")))
        .hasMessageContaining("tasks.timeoutMs (400000) must not exceed tasks.maxTimeoutMs (300000)");
  }

  @Test
  @DisplayName("documents every setting in the README's configuration table")
  void readmeListsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting setting : Setting.values()) {
      assertThat(readme).contains("`" + setting.key() + "`", "`" + setting.env() + "`", "`" + setting.flag() + "`");
    }
  }
}
