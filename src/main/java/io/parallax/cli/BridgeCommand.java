package io.parallax.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code send} and {@code submit} share: where the TCP bridge is, the token, the timeout, and one exit
 * code per kind of failure, each with a one-line message on stderr.
 */
abstract class BridgeCommand {

  static final int EXIT_OK = 0;
  static final int EXIT_USAGE = 2;
  static final int EXIT_CONNECT = 3;
  static final int EXIT_DENIED = 4;
  static final int EXIT_TIMEOUT = 5;
  static final int EXIT_NO_HANDLERS = 6;
  static final int EXIT_FAILED = 7;
  static final int EXIT_CANCELLED = 8;

  @Spec
  CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "the node's TCP bridge host (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "${env:PARALLAX_BRIDGE_PORT:-7000}",
      description = "the node's TCP bridge port (default: $PARALLAX_BRIDGE_PORT or 7000)")
  int port;

  @Option(names = "--timeout", paramLabel = "MS", defaultValue = "30000",
      description = "how long to wait for a reply (default: ${DEFAULT-VALUE} ms)")
  long timeoutMillis;

  @Option(names = "--token", defaultValue = "${env:PARALLAX_TOKEN}",
      description = "the bridge token when the node requires one (default: $PARALLAX_TOKEN)")
  String token;

  /** Parses a JSON argument; "-" reads standard input. */
  Object jsonArgument(String text) throws IOException {
    String json = "-".equals(text) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : text;
    try {
      return Json.decodeValue(json.isBlank() ? "{}" : json);
    } catch (DecodeException malformed) {
      throw new UsageProblem("the message is not valid JSON");
    }
  }

  BridgeClient connect() throws IOException {
    return new BridgeClient(host, port, token, (int) Math.min(Integer.MAX_VALUE, timeoutMillis + 5_000));
  }

  /** Runs the command, turning every way it can fail into its exit code and one line. */
  int guarded(Action action) {
    try {
      return action.run();
    } catch (UsageProblem usage) {
      return fail(EXIT_USAGE, usage.getMessage());
    } catch (ConnectException | UnknownHostException refused) {
      return fail(EXIT_CONNECT, "cannot connect to " + host + ":" + port + " (" + refused.getMessage() + ")");
    } catch (SocketTimeoutException slow) {
      return fail(EXIT_TIMEOUT, "timeout: no answer within " + timeoutMillis + " ms");
    } catch (IOException broken) {
      return fail(EXIT_CONNECT, "connection to " + host + ":" + port + " failed (" + broken.getMessage() + ")");
    }
  }

  /** The exit code and message for an {@code err} frame. */
  int failure(JsonObject err) {
    String message = err.getString("message", "failed");
    if (message.startsWith("access_denied")) {
      return fail(EXIT_DENIED, "access denied" + (err.containsKey("address") ? " to " + err.getString("address") : "")
          + (message.contains("token") ? ": missing or wrong token" : ""));
    }
    String type = err.getString("failureType", "");
    if ("TIMEOUT".equals(type) || Integer.valueOf(504).equals(err.getInteger("failureCode"))) {
      return fail(EXIT_TIMEOUT, "timeout: " + describe(message));
    }
    if ("NO_HANDLERS".equals(type)) {
      return fail(EXIT_NO_HANDLERS, "no handlers: nothing listens on that address");
    }
    return fail(EXIT_FAILED, describe(message));
  }

  /** A structured Parallax error reads as "CODE: message"; anything else as it came. */
  static String describe(String message) {
    if (message != null && message.startsWith("{")) {
      try {
        JsonObject error = new JsonObject(message).getJsonObject("error");
        if (error != null) {
          return error.getString("code") + ": " + error.getString("message");
        }
      } catch (RuntimeException notJson) {
        // shown as it came
      }
    }
    return message;
  }

  int fail(int code, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("parallax: " + message);
    err.flush();
    return code;
  }

  void print(Object value) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.encode(value));
    out.flush();
  }

  interface Action {
    int run() throws IOException;
  }

  static final class UsageProblem extends RuntimeException {
    UsageProblem(String message) {
      super(message, null, false, false);
    }
  }
}
