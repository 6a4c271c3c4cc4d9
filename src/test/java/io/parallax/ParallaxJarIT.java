package io.parallax;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The fat jar, run as a process")
class ParallaxJarIT {

  private static final Pattern READY = Pattern.compile("HTTP on [^:]+:(\\d+) \\((\\d+) instances\\), (\\d+) workers");

  @TempDir
  Path workDir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(process -> {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    });
  }

  @Test
  @DisplayName("starts with the shipped defaults from any directory, serves /hello, and exits 0 on SIGTERM")
  void startsServesAndStopsCleanly() throws Exception {
    Path log = workDir.resolve("node.log");
    Process node = start(log, "--http-port", "0", "--http-host", "127.0.0.1", "--bridge-port", "0");
    Matcher ready = awaitLog(log, READY, node);
    int port = Integer.parseInt(ready.group(1));
    assertThat(Integer.parseInt(ready.group(2))).isEqualTo(Runtime.getRuntime().availableProcessors());

    HttpResponse<String> hello = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("Hello, World!\n");

    new ProcessBuilder("kill", "-TERM", Long.toString(node.pid())).start().waitFor();
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s of SIGTERM").isTrue();
    assertThat(node.exitValue()).isZero();
    assertThat(Files.readString(log)).contains("stopped").doesNotContain("Exception");
  }

  @Test
  @DisplayName("exits 2 with one line naming the key for an invalid value")
  void rejectsInvalidConfiguration() throws Exception {
    Path log = workDir.resolve("bad.log");
    Process node = start(log, "--http-port", "70000");
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).isEqualTo(2);
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).containsExactly("parallax: invalid configuration: http.port must be between 0 and 65535 "
        + "(got \"70000\" from flag --http-port)");
  }

  @Test
  @DisplayName("exits 2 for a malformed config file, and 1 when the port is taken")
  void otherStartFailures() throws Exception {
    Path conf = workDir.resolve("broken.json");
    Files.writeString(conf, "{ not json");
    Path log = workDir.resolve("broken.log");
    Process broken = start(log, "--conf", conf.toString());
    assertThat(broken.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(broken.exitValue()).isEqualTo(2);
    assertThat(Files.readAllLines(log)).hasSize(1).first().asString().contains("is not a JSON object");

    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path clashLog = workDir.resolve("clash.log");
      Process clash = start(clashLog, "--http-port", Integer.toString(taken.getLocalPort()), "--http-host",
          "127.0.0.1", "--bridge-port", "0");
      assertThat(clash.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(clash.exitValue()).isEqualTo(1);
      assertThat(Files.readString(clashLog)).contains("parallax: cannot start: the HTTP port 127.0.0.1:" + taken.getLocalPort() + " is not available")
          .doesNotContain("\tat ");
    }
  }

  @Test
  @DisplayName("exits 1 with one line when the cluster member port is taken")
  void clusterPortTaken() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path log = workDir.resolve("member-port.log");
      Process node = start(log, "--cluster", "--cluster-member-port", Integer.toString(taken.getLocalPort()),
          "--cluster-members", "127.0.0.1:" + taken.getLocalPort(), "--http-port", "0", "--bridge-port", "0");
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(node.exitValue()).isEqualTo(1);
      assertThat(Files.readAllLines(log)).hasSize(1).first().asString()
          .startsWith("parallax: cannot start: the cluster member port 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  @DisplayName("bin/parallax makes a class-data archive once per build, also for nodes started together, and they map it")
  void runScriptUsesClassDataArchive() throws Exception {
    Path target = jar().getParent();
    try (var archives = Files.newDirectoryStream(target, "parallax-*.jsa")) {
      for (Path archive : archives) {
        Files.delete(archive); // so that this build's first run happens here, twice at once
      }
    }
    Path script = target.getParent().resolve("bin").resolve("parallax");
    List<Process> nodes = new ArrayList<>();
    List<Path> logs = List.of(workDir.resolve("script-1.log"), workDir.resolve("script-2.log"));
    for (Path log : logs) {
      nodes.add(startCommand(log, List.of(script.toString(), "--http-port", "0", "--http-host", "127.0.0.1",
          "--bridge-port", "0")));
    }
    for (int i = 0; i < nodes.size(); i++) {
      Process node = nodes.get(i);
      int port = Integer.parseInt(awaitLog(logs.get(i), READY, node).group(1));
      HttpResponse<String> hello = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(hello.statusCode()).isEqualTo(200);
      // The script execs java, so this is the node's JVM.
      assertThat(Files.readString(Path.of("/proc", Long.toString(node.pid()), "maps")))
          .containsPattern("target/parallax-\\d+\\.jsa");
    }
    assertThat(Files.readString(logs.get(0)) + Files.readString(logs.get(1)))
        .as("the archive is made by one of them").containsOnlyOnce("making the class-data archive");
    for (Process node : nodes) {
      new ProcessBuilder("kill", "-TERM", Long.toString(node.pid())).start().waitFor();
      assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s of SIGTERM").isTrue();
      assertThat(node.exitValue()).isZero();
    }
  }

  @Test
  @DisplayName("prints its version and its help")
  void versionAndHelp() throws Exception {
    Path log = workDir.resolve("version.log");
    Process version = start(log, "--version");
    assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(version.exitValue()).isZero();
    assertThat(Files.readString(log)).startsWith("Parallax ");
    Path helpLog = workDir.resolve("help.log");
    Process help = start(helpLog, "--help");
    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(helpLog)).contains("--http-port", "--workers", "--instances", "--conf",
        "PARALLAX_HTTP_PORT");
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    return startCommand(log, command);
  }

  private Process startCommand(Path log, List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    started.add(process);
    return process;
  }

  private static Matcher awaitLog(Path log, Pattern pattern, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Matcher matcher = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (matcher.find()) {
        return matcher;
      }
      if (!process.isAlive()) {
        throw new AssertionError("node exited early:\n" + Files.readString(log));
      }
      Thread.sleep(Duration.ofMillis(50).toMillis()); // polling a log file: there is nothing to await on
    }
    throw new AssertionError("node never logged " + pattern + ":\n" + Files.readString(log));
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("parallax.jar", "target/parallax.jar"));
    assertThat(jar).as("the fat jar is built by `mvn package`").exists();
    return jar.toAbsolutePath();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
