package io.parallax;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.support.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The send and submit commands, run as processes against a running node")
class CliIT {

  private static Path workDir;
  private static NodeProcess node;
  private static int bridgePort;

  @BeforeAll
  static void start() throws Exception {
    workDir = Files.createTempDirectory("parallax-cli");
    bridgePort = NodeProcess.freePort();
    node = NodeProcess.start(workDir, "node", List.of(), "127.0.0.1", NodeProcess.freePort(),
        List.of("--bridge-port", Integer.toString(bridgePort), "--token", "cli-secret"));
    NodeProcess.await("the node to be ready", Duration.ofSeconds(60), () -> {
      try {
        return node.get("/ready").statusCode() == 200;
      } catch (Exception notYet) {
        return false;
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private record Run(int exit, String out, String err) {
  }

  private static Run parallax(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of(System.getProperty("parallax.jar", "target/parallax.jar")).toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8).trim(),
        new String(err, StandardCharsets.UTF_8).trim());
  }

  private static String port() {
    return Integer.toString(bridgePort);
  }

  @Test
  @DisplayName("send prints the reply as JSON and exits 0")
  void sendSucceeds() throws Exception {
    Run run = parallax("send", "parallax.task.primes", "{\"to\": 1000}", "--port", port(), "--token", "cli-secret");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(new JsonObject(run.out()).getJsonObject("result").getLong("count")).isEqualTo(168);
  }

  @Test
  @DisplayName("send exits with a distinct code and one line on stderr for each failure")
  void sendFailures() throws Exception {
    expect(parallax("send", "parallax.task.primes", "{}", "--port", port()), 4, "parallax: access denied");
    expect(parallax("send", "parallax.internal.scheduler.status", "{}", "--port", port(), "--token", "cli-secret"),
        4, "parallax: access denied");
    expect(parallax("send", "parallax.task.primes", "{\"to\": ", "--port", port()), 2, "parallax: the message is not valid JSON");
    expect(parallax("send", "parallax.task.primes", "{}", "--port", Integer.toString(NodeProcess.freePort())),
        3, "parallax: cannot connect");
    expect(parallax("send", "parallax.task.absent", "{}", "--port", port(), "--token", "cli-secret"),
        6, "parallax: no handlers");
    expect(parallax("send", "parallax.task.primes", "{\"to\": 10000000000}", "--timeout", "100", "--port", port(),
        "--token", "cli-secret"), 5, "parallax: timeout");
    expect(parallax("send", "parallax.task.primes", "{\"to\": -1}", "--port", port(), "--token", "cli-secret"),
        7, "parallax: INVALID_PARAM: to must be between");
  }

  @Test
  @DisplayName("submit follows the job's progress and prints the result")
  void submit() throws Exception {
    Run run = parallax("submit", "primes", "{\"to\": 100000000}", "--chunks", "16", "--port", port(), "--token",
        "cli-secret");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(new JsonObject(run.out()).getLong("count")).isEqualTo(5_761_455);
    assertThat(run.err()).contains("16/16 chunks");
    Run failing = parallax("submit", "pbkdf2", "{}", "--port", port(), "--token", "cli-secret");
    expect(failing, 7, "parallax: INVALID_PARAM: password is required");
  }

  private static void expect(Run run, int exit, String message) {
    assertThat(run.exit()).as(run.err()).isEqualTo(exit);
    assertThat(run.err()).startsWith(message).doesNotContain("\n");
    assertThat(run.out()).isEmpty();
  }
}
