package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.Console;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code berth login}, {@code logout} and {@code whoami}: a session with one manager's API, kept in
 * login.json so that later commands call as that user (docs/identity-cli.md).
 */
final class LoginCommands {
  /** A Berth token: {@code bt_<cluster>_<id>_<secret>}; the id names it in {@code /v1/tokens/{id}}. */
  private static final Pattern TOKEN = Pattern.compile("bt_[^_]+_([0-9a-f]+)_.+");

  private LoginCommands() {}

  /** A command on the login.json in a data dir. */
  abstract static class OnLoginFile implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Where login.json is kept (default: $BERTH_DATA or ~/.berth).")
    Path data;

    @Spec
    CommandSpec spec;

    Path dir() {
      return data != null ? data : DataDir.defaultDir();
    }
  }

  @Command(name = "login", mixinStandardHelpOptions = true,
      description = {"Sign in to a manager's API as a Berth user; later commands call as that user.",
          "The session token is kept in login.json in the data dir (mode 0600), for that API only."})
  static final class Login extends OnLoginFile {
    @Option(names = "--api", paramLabel = "URL[,URL…]",
        description = "The manager's API, or several managers' comma-separated, tried in order (default: $BERTH_API, else the local manager's).")
    String api;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "The user (default: asked at the terminal).")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from standard input (one trailing newline is dropped).")
    boolean passwordStdin;

    @Override
    public Integer call() {
      Path dir = dir();
      String url = ClientOptions.requireApi(api, dir);
      String name = user();
      char[] password = PasswordInput.read(passwordStdin, System.in, "Password for " + name + ": ", false);
      JsonNode answer;
      try {
        answer = new ApiClient(url, null).post("/v1/login", Json.bytes(Map.of("user", name, "password", new String(password))));
      } finally {
        Arrays.fill(password, '\0');
      }
      String token = answer.path("token").asText("");
      if (token.isEmpty()) throw new IllegalStateException("the manager at " + url + " answered the sign-in without a token");
      Instant expires = instant(answer.path("expires_at"));
      String who = answer.path("user").asText(name);
      Path file = LoginFile.write(dir, new LoginFile.Login(url, who, token, expires));
      spec.commandLine().getOut().println("logged in to " + url + " as " + who + (answer.path("admin").asBoolean() ? " (administrator)" : "")
          + (expires == null ? "" : " until " + expires) + "; the session is kept in " + file);
      String env = System.getenv("BERTH_TOKEN");
      if (env != null && !env.isBlank()) {
        spec.commandLine().getErr().println("berth login: note: $BERTH_TOKEN is set and comes before this login; unset it to call as " + who);
      }
      return 0;
    }

    private String user() {
      if (user != null && !user.isBlank()) return user.trim();
      if (passwordStdin) throw new ParameterException(spec.commandLine(), "--password-stdin needs -u USER");
      Console c = PasswordInput.terminal();
      if (c == null) throw new ParameterException(spec.commandLine(), "give -u USER: there is no terminal to ask for it");
      String typed = c.readLine("Username: ");
      if (typed == null || typed.isBlank()) throw new IllegalStateException("no user name typed");
      return typed.trim();
    }
  }

  @Command(name = "logout", mixinStandardHelpOptions = true,
      description = "Revoke the session 'berth login' made and remove login.json; commands then fall back to --token, $BERTH_TOKEN or admin.token.")
  static final class Logout extends OnLoginFile {
    @Override
    public Integer call() {
      Path dir = dir();
      Optional<LoginFile.Login> login;
      try {
        login = LoginFile.read(dir);
      } catch (IllegalStateException unreadable) {
        login = Optional.empty(); // nothing to revoke with; the file goes all the same
      }
      String revoked = login.map(this::revoke).orElse("");
      if (!LoginFile.delete(dir)) {
        spec.commandLine().getOut().println("not logged in: there is no " + LoginFile.path(dir));
        return 0;
      }
      spec.commandLine().getOut().println(login.map(l -> "logged out of " + l.api() + " (" + l.user() + ")" + revoked)
          .orElse("removed " + LoginFile.path(dir)));
      return 0;
    }

    /** Revokes the session on the manager, so a copy of the token is no use either; "; session revoked", or "" when it was not. */
    private String revoke(LoginFile.Login l) {
      Matcher m = TOKEN.matcher(l.token());
      if (!m.matches() || l.expired(Instant.now())) return "";
      try {
        new ApiClient(l.api(), l.token()).delete("/v1/tokens/" + ApiClient.segment(m.group(1)));
        return "; session revoked";
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("berth logout: the session could not be revoked on the manager: " + e.getMessage());
        return "";
      }
    }
  }

  @Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show whom the manager takes you for, and where the token came from.")
  static final class Whoami extends TableView {
    @Override
    String path() {
      return "/v1/whoami";
    }

    @Override
    void print(JsonNode me) {
      new Table("USER", me.path("user").asText())
          .row("ADMIN", me.path("admin").asBoolean() ? "yes" : "no")
          .row("VIA", text(me, "via"))
          .row("API", client.apiUrl())
          .row("TOKEN", client.credential().source())
          .print(out());
    }
  }

  static Instant instant(JsonNode n) {
    String text = n.asText("");
    if (text.isEmpty()) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("the manager sent a time that is not ISO-8601: '" + text + "'");
    }
  }
}
