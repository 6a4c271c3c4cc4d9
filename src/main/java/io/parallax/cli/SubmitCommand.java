package io.parallax.cli;

import io.parallax.bus.Addresses;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parallax submit <task> <json>}: submits a job through the TCP bridge, follows its progress events
 * (a progress bar on a terminal, plain lines otherwise) and prints the result.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Submits a job through a node's TCP bridge, shows its progress and prints its result as JSON.",
    footer = {"", "Exit codes: 0 ok, 2 bad arguments, 3 cannot connect, 4 access denied, 5 timeout,",
        "6 no handlers, 7 the job failed, 8 the job was cancelled."})
final class SubmitCommand extends BridgeCommand implements Callable<Integer> {

  private static final int BAR_WIDTH = 30;

  @Parameters(index = "0", paramLabel = "TASK", description = "for example primes")
  String task;

  @Parameters(index = "1", paramLabel = "JSON", defaultValue = "{}",
      description = "the task's parameters; - reads standard input (default: {})")
  String params;

  @Option(names = "--chunks", description = "how many chunks at most (1..10000)")
  Integer chunks;

  @Override
  public Integer call() {
    // A job may run far longer than one request: the timeout applies to each wait for news, not to the job.
    return guarded(() -> {
      Object parameters = jsonArgument(params);
      JsonObject spec = new JsonObject().put("task", task).put("params", parameters);
      if (chunks != null) {
        spec.put("chunks", chunks);
      }
      try (BridgeClient client = connect()) {
        JsonObject accepted = client.request(Addresses.JOBS_SUBMIT, spec, timeoutMillis);
        if ("err".equals(accepted.getString("type"))) {
          return failure(accepted);
        }
        String id = accepted.getJsonObject("body").getString("id");
        int total = accepted.getJsonObject("body").getJsonObject("chunks").getInteger("total");
        client.register(Addresses.jobEvents(id));
        // Registered: from now on no event is missed. The job may have finished before, so ask once.
        JsonObject status = client.request(Addresses.JOBS_STATUS, new JsonObject().put("id", id), timeoutMillis);
        JsonObject last = status.getJsonObject("body");
        progress(id, last == null ? 0 : last.getJsonObject("chunks").getInteger("done"), total);
        while (last == null || !finished(last.getString("state"))) {
          JsonObject frame = client.read();
          if ("err".equals(frame.getString("type"))) {
            return failure(frame);
          }
          JsonObject event = frame.getJsonObject("body");
          if (event == null) {
            continue;
          }
          if ("chunk".equals(event.getString("type"))) {
            progress(id, event.getInteger("done"), total);
          } else if (event.containsKey("state")) {
            last = event;
          }
        }
        return outcome(last);
      }
    });
  }

  private int outcome(JsonObject status) {
    endProgress();
    switch (status.getString("state")) {
      case "SUCCEEDED" -> {
        print(status.containsKey("result") ? status.getValue("result") : status);
        return EXIT_OK;
      }
      case "CANCELLED" -> {
        return fail(EXIT_CANCELLED, "job " + status.getString("id") + " was cancelled");
      }
      default -> {
        JsonObject error = status.getJsonObject("error", new JsonObject());
        return fail(EXIT_FAILED, "job failed: " + error.getString("code") + ": " + error.getString("message"));
      }
    }
  }

  private static boolean finished(String state) {
    return "SUCCEEDED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
  }

  private void progress(String id, int done, int total) {
    PrintWriter err = spec.commandLine().getErr();
    if (System.console() != null) {
      int filled = total == 0 ? BAR_WIDTH : BAR_WIDTH * done / total;
      err.printf("\r%s [%s%s] %d/%d chunks", id.substring(0, 8), "#".repeat(filled), " ".repeat(BAR_WIDTH - filled),
          done, total);
    } else {
      err.printf("job %s: %d/%d chunks%n", id, done, total);
    }
    err.flush();
  }

  private void endProgress() {
    if (System.console() != null) {
      spec.commandLine().getErr().println();
    }
  }
}
