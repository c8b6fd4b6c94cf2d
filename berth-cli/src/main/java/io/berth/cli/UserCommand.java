package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth user …}: the cluster's users (administrators manage them; anyone may change their own password). */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Users: create, list, edit, remove, and change a password.",
    subcommands = {UserCommand.Create.class, UserCommand.Ls.class, UserCommand.Edit.class, UserCommand.Rm.class, UserCommand.Passwd.class})
final class UserCommand extends CommandGroup {
  static String path(String name) {
    return "/v1/users/" + ApiClient.segment(name);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a user; the password is typed twice at the terminal, or read from standard input with --password-stdin.")
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The user's name.")
    String name;

    @Option(names = "--admin", description = "Make the user an administrator (who may do anything).")
    boolean admin;

    @Option(names = "--password-stdin", description = "Read the password from standard input (one trailing newline is dropped).")
    boolean passwordStdin;

    @Option(names = "--email", paramLabel = "ADDRESS", description = "The user's e-mail address: alert notifications of their apps reach it.")
    String email;

    @Override
    public Integer call() {
      ApiClient api = api();
      char[] password = PasswordInput.read(passwordStdin, System.in, "Password for " + name + ": ", true);
      try {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("password", new String(password));
        body.put("admin", admin);
        if (email != null) body.put("email", email);
        api.post("/v1/users", Json.bytes(body));
      } finally {
        Arrays.fill(password, '\0');
      }
      out().println("created user " + name + (admin ? " (administrator)" : ""));
      return 0;
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List the users.")
  static final class Ls extends TableView {
    @Override
    String path() {
      return "/v1/users";
    }

    @Override
    void print(JsonNode users) {
      Instant now = Instant.now();
      new Table("NAME", "ADMIN", "CREATED", "CREATED_BY", "EMAIL")
          .rows(users, u -> new Object[] {u.path("name").asText(), u.path("admin").asBoolean() ? "yes" : "no",
              AppViews.ago(u.path("created_at"), now), text(u, "created_by"), text(u, "email")})
          .print(out());
    }
  }

  @Command(name = "edit", mixinStandardHelpOptions = true,
      description = "Change a user's e-mail address: your own, or any user's as an administrator. --email '' removes it.")
  static final class Edit extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The user.")
    String name;

    @Option(names = "--email", required = true, paramLabel = "ADDRESS", description = "The new e-mail address ('' for none).")
    String email;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("email", email.isBlank() ? null : email);
      api().put(path(name) + "/email", Json.bytes(body), Map.of());
      out().println(email.isBlank() ? "removed the e-mail address of " + name : "set the e-mail address of " + name + " to " + email.trim());
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a user; their tokens stop working.")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The user.")
    String name;

    @Override
    public Integer call() {
      return deleted(path(name), "removed user " + name);
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = "Change a password: your own (without NAME), or any user's as an administrator. Typed twice, or read with --password-stdin.")
  static final class Passwd extends ApiCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The user (default: the one you are signed in as).")
    String name;

    @Option(names = "--password-stdin", description = "Read the new password from standard input (one trailing newline is dropped).")
    boolean passwordStdin;

    @Override
    public Integer call() {
      String who = name != null ? name : api().get("/v1/whoami").path("user").asText();
      char[] password = PasswordInput.read(passwordStdin, System.in, "New password for " + who + ": ", true);
      try {
        api().put(path(who) + "/password", Json.bytes(Map.of("password", new String(password))), Map.of());
      } finally {
        Arrays.fill(password, '\0');
      }
      out().println("changed the password of " + who);
      return 0;
    }
  }
}
