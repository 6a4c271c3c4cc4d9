package io.parallax.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parallax send <address> [json|-]}: one event-bus message through the TCP bridge. */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Sends one event-bus message through a node's TCP bridge and prints the reply as JSON.",
    footer = {"", "Exit codes: 0 ok, 2 bad arguments, 3 cannot connect, 4 access denied, 5 timeout,",
        "6 no handlers, 7 the handler failed."})
final class SendCommand extends BridgeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ADDRESS", description = "for example parallax.task.primes")
  String address;

  @Parameters(index = "1", paramLabel = "JSON", defaultValue = "{}",
      description = "the message body; - reads standard input (default: {})")
  String body;

  @Option(names = "--publish", description = "publish instead of request-reply")
  boolean publish;

  @Override
  public Integer call() {
    return guarded(() -> {
      Object message = jsonArgument(body);
      try (BridgeClient client = connect()) {
        JsonObject answer = publish ? client.publish(address, message) : client.request(address, message, timeoutMillis);
        if ("err".equals(answer.getString("type"))) {
          return failure(answer);
        }
        if (publish) {
          print(new JsonObject().put("published", address));
        } else {
          print(answer.getValue("body"));
        }
        return EXIT_OK;
      }
    });
  }
}
