package io.parallax.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A Parallax node run from the fat jar as a separate JVM, with a blocking HTTP client for its API. */
public final class NodeProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int FIRST_CHOSEN_PORT = 20_000;
  private static final Random RANDOM = new Random();
  /** Never the same port twice from one test JVM, even once the node that had it is gone. */
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private final Process process;
  private final String httpHost;
  private final int httpPort;
  private final Path log;

  private NodeProcess(Process process, String httpHost, int httpPort, Path log) {
    this.process = process;
    this.httpHost = httpHost;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** Starts a node on loopback; {@code args} are Parallax flags (the HTTP port and host are chosen here). */
  public static NodeProcess start(Path workDir, String name, List<String> args) throws IOException {
    return start(workDir, name, List.of(), "127.0.0.1", freePort(), args);
  }

  /**
   * Starts a node whose command line begins with {@code prefix} (for example {@code ip netns exec <ns>}),
   * serving HTTP on {@code httpHost:httpPort}.
   */
  public static NodeProcess start(Path workDir, String name, List<String> prefix, String httpHost, int httpPort,
                                  List<String> args) throws IOException {
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(javaBinary(), "-Xmx256m", "-XX:+UseParallelGC", "-jar", jar(),
        "--http-host", httpHost, "--http-port", Integer.toString(httpPort)));
    if (!args.contains("--bridge-port")) {
      command.addAll(List.of("--bridge-port", "0"));
    }
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    return new NodeProcess(process, httpHost, httpPort, log);
  }

  /**
   * A port nothing listens on, for a node to bind a moment later. Taken below the kernel's ephemeral range:
   * a port the kernel handed out (bind to 0) can be handed out again at once as the local port of some
   * outgoing connection — the cluster's own members open many — and the node would then fail to bind it.
   */
  public static synchronized int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = FIRST_CHOSEN_PORT + RANDOM.nextInt(ephemeralPortsFrom() - FIRST_CHOSEN_PORT);
      if (HANDED_OUT.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IOException("no free port below the ephemeral range");
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux's default when it cannot be read). */
  private static int ephemeralPortsFrom() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Math.max(FIRST_CHOSEN_PORT + 1_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException unknown) {
      return 32_768;
    }
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return process.pid();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public void sigterm() {
    process.destroy();
  }

  public int awaitExit(Duration deadline) throws InterruptedException {
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node did not exit within " + deadline);
    }
    return process.exitValue();
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public JsonObject getJson(String path) throws IOException, InterruptedException {
    return new JsonObject(get(path).body());
  }

  public HttpResponse<String> postJson(String path, JsonObject body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls until the condition holds (exceptions count as "not yet"), or fails after the deadline. */
  public static void await(String what, Duration deadline, Supplier<Boolean> condition) throws InterruptedException {
    long giveUpAt = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < giveUpAt) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the node may still be starting; try again
      }
      Thread.sleep(100); // polling another process: there is nothing to await on
    }
    throw new AssertionError(what + " did not happen within " + deadline);
  }

  private URI uri(String path) {
    return URI.create("http://" + httpHost + ":" + httpPort + path);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }

  private static String jar() {
    Path jar = Path.of(System.getProperty("parallax.jar", "target/parallax.jar"));
    if (!Files.exists(jar)) {
      throw new AssertionError("the fat jar is built by `mvn package`: " + jar);
    }
    return jar.toAbsolutePath().toString();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
