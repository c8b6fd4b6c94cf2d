package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Role;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth member …}: who has which role on an app, an image repository, an image group or a
 * build (docs/permissions.md says what each role may do).
 */
@Command(name = "member", mixinStandardHelpOptions = true,
    description = "Members of a resource and their roles (owner, master, developer, reporter, guest): add or change, list, remove.",
    subcommands = {MemberCommand.Add.class, MemberCommand.Ls.class, MemberCommand.Rm.class})
final class MemberCommand extends CommandGroup {
  /** Exactly one of the four kinds of resource, with its name. */
  static final class Resource {
    @Option(names = "--app", paramLabel = "NAME", description = "An app.")
    String app;

    @Option(names = "--repo", paramLabel = "NAME", description = "An image repository, e.g. team/web.")
    String repo;

    @Option(names = "--group", paramLabel = "NAME", description = "An image group: the first part of its repositories' names, e.g. team.")
    String group;

    @Option(names = "--build", paramLabel = "NAME", description = "A build.")
    String build;

    String kind() {
      return app != null ? "app" : repo != null ? "repo" : group != null ? "group" : "build";
    }

    String name() {
      return app != null ? app : repo != null ? repo : group != null ? group : build;
    }

    @Override
    public String toString() {
      return kind() + " " + name();
    }

    /** {@code /v1/members/repo/team%2Fweb}: the name is one path segment, its '/' encoded. */
    String path() {
      return "/v1/members/" + kind() + "/" + ApiClient.segment(name());
    }
  }

  /** A member command: one resource named by its kind's flag. */
  abstract static class OnResource extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1", heading = "The resource (one of):%n")
    Resource resource;
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Give a user a role on a resource, or change the role they have.")
  static final class Add extends OnResource {
    @Parameters(index = "0", paramLabel = "USER", description = "The user.")
    String user;

    @Parameters(index = "1", paramLabel = "ROLE", description = "owner, master, developer, reporter or guest.")
    String role;

    @Override
    public Integer call() {
      Role r;
      try {
        r = Role.parse(role);
      } catch (BerthException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      api().put(resource.path() + "/" + ApiClient.segment(user), Json.bytes(Map.of("role", r.word())), Map.of());
      out().println(user + " is " + (r == Role.OWNER ? "an " : "a ") + r.word() + " of " + resource);
      return 0;
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List a resource's members and their roles.")
  static final class Ls extends TableView {
    @ArgGroup(exclusive = true, multiplicity = "1", heading = "The resource (one of):%n")
    Resource resource;

    @Override
    String path() {
      return resource.path();
    }

    @Override
    void print(JsonNode members) {
      Instant now = Instant.now();
      new Table("USER", "ROLE", "ADDED_BY", "ADDED")
          .rows(members, m -> new Object[] {m.path("user").asText(), m.path("role").asText(), text(m, "added_by"),
              AppViews.ago(m.path("added_at"), now)})
          .print(out());
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Take a user's role on a resource away (the last owner cannot be removed).")
  static final class Rm extends OnResource {
    @Parameters(paramLabel = "USER", description = "The user.")
    String user;

    @Override
    public Integer call() {
      return deleted(resource.path() + "/" + ApiClient.segment(user), "removed " + user + " from " + resource);
    }
  }
}
