package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.lrp.Task;
import io.berth.manager.lrp.ReceptorRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth task …}: one-off work, Diego's Tasks, through the Receptor API. */
@Command(name = "task", mixinStandardHelpOptions = true,
    description = "One-off work (Diego's Tasks): create and wait for the result, list, cancel, resolve.",
    subcommands = {TaskCommand.Create.class, TaskCommand.ListTasks.class, TaskCommand.Get.class, TaskCommand.Rm.class,
        TaskCommand.Cancel.class})
final class TaskCommand extends CommandGroup {
  static String path(String guid) {
    return "/v1/tasks/" + ApiClient.segment(guid);
  }

  /** The task a subcommand acts on: its GUID argument. */
  static final class Guid {
    @Parameters(index = "0", paramLabel = "GUID", description = "The task_guid.")
    String guid;

    String path() {
      return TaskCommand.path(guid);
    }
  }

  /** {@code ok}, {@code failed: why}, or "-" while the task has not completed. */
  static String outcome(JsonNode t) {
    if (!t.path("state").asText().equals("COMPLETED") && !t.path("state").asText().equals("RESOLVING")) return "-";
    return t.path("failed").asBoolean() ? "failed: " + t.path("failure_reason").asText() : "ok";
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a Task from a Receptor TaskCreateRequest in JSON (docs/lrp.md).")
  static final class Create extends ApiCommand {
    @Mixin
    Manifests.RequestFile file;

    @Option(names = "--watch", description = "Wait until it has COMPLETED: its states on stderr, its result on stdout; exit 1 if it failed.")
    boolean watch;

    @Override
    public Integer call() {
      Task task = file.post(api(), "/v1/tasks", ReceptorRequests::task);
      if (!watch) {
        out().println(task.taskGuid());
        return 0;
      }
      String[] state = {null};
      JsonNode[] last = {null};
      boolean done = Watch.until(() -> {
        JsonNode t = api().get(path(task.taskGuid().value()));
        String now = t.path("state").asText();
        if (!now.equals(state[0])) {
          err().println(task.taskGuid() + ": " + now);
          err().flush();
          state[0] = now;
        }
        last[0] = t;
        return now.equals("COMPLETED") || now.equals("RESOLVING");
      });
      if (!done) return INTERRUPTED;
      if (last[0].path("failed").asBoolean()) {
        throw new IllegalStateException(task.taskGuid() + " failed: " + last[0].path("failure_reason").asText());
      }
      out().print(last[0].path("result").asText(""));
      out().flush();
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the tasks.")
  static final class ListTasks extends TableView {
    @Option(names = "--domain", paramLabel = "D", description = "Only the tasks of this domain.")
    String domain;

    @Override
    String path() {
      return "/v1/tasks" + ApiClient.domainQuery(domain);
    }

    @Override
    void print(JsonNode tasks) {
      new Table("TASK_GUID", "DOMAIN", "STATE", "CELL", "IMAGE", "OUTCOME")
          .rows(tasks, t -> new Object[] {t.path("task_guid").asText(), text(t, "domain"), text(t, "state"), text(t, "cell_id"),
              LrpInstances.image(t.path("rootfs").asText()), outcome(t)})
          .print(out());
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one task, with its result once it has completed.")
  static final class Get extends JsonView {
    @Mixin
    Guid task;

    @Override
    String path() {
      return task.path();
    }

    @Override
    void print(JsonNode t) {
      new Table("TASK_GUID", t.path("task_guid").asText())
          .row("DOMAIN", text(t, "domain"))
          .row("STATE", text(t, "state"))
          .row("CELL", text(t, "cell_id"))
          .row("IMAGE", LrpInstances.image(t.path("rootfs").asText()))
          .row("OUTCOME", outcome(t))
          .row("RESULT", text(t, "result"))
          .print(out());
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Resolve (delete) a COMPLETED task.")
  static final class Rm extends ApiCommand {
    @Mixin
    Guid task;

    @Override
    public Integer call() {
      return deleted(task.path(), task.guid);
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a PENDING or RUNNING task: it COMPLETES as failed, and is then yours to rm.")
  static final class Cancel extends ApiCommand {
    @Mixin
    Guid task;

    @Override
    public Integer call() {
      api().post(task.path() + "/cancel", null);
      out().println(task.guid + ": cancelled");
      return 0;
    }
  }
}
