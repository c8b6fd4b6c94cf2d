package io.berth.manager.registry;

import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.identity.Access;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a registry token grants: for each scope asked, exactly the actions {@link Access#allows}
 * permits — {@code pull} is PULL, {@code push} PUSH, {@code delete} DELETE_TAG on the repository;
 * the catalog is for administrators. Pushing a repository that does not exist yet creates it: allowed
 * when the caller may push into its group or the group has no members yet, and the caller becomes
 * the owner of the group (when it had none) and of the repository.
 */
final class TokenGrants {
  /** Whether the registry holds a repository (with at least one tag). */
  @FunctionalInterface
  interface Repositories {
    boolean exists(String repository);
  }

  private final Access access;
  private final Repositories repositories;

  TokenGrants(Access access, Repositories repositories) {
    this.access = access;
    this.repositories = repositories;
  }

  /** The scopes granted to {@code p}, each with the actions it may take; scopes with none are left out. */
  List<Scope> grant(Principal p, List<Scope> asked) {
    List<Scope> out = new ArrayList<>();
    for (Scope s : asked) {
      Set<String> granted = new LinkedHashSet<>();
      if (s.type().equals(Scope.REGISTRY) && s.name().equals("catalog")) {
        if (p.admin() && s.actions().contains("*")) granted.add("*");
      } else if (s.type().equals(Scope.REPOSITORY) && Scope.isRepositoryName(s.name())) {
        // push first: pushing a new repository makes the caller its owner, who may then pull it too
        for (String a : s.actions().stream().sorted(Comparator.comparing(a -> !a.equals("push"))).toList()) {
          boolean ok = switch (a) {
            case "pull" -> access.allows(p, ResourceKind.REPO, s.name(), Action.PULL);
            case "push" -> mayPush(p, s.name());
            case "delete" -> access.allows(p, ResourceKind.REPO, s.name(), Action.DELETE_TAG);
            default -> false;
          };
          if (ok) granted.add(a);
        }
      }
      if (!granted.isEmpty()) out.add(new Scope(s.type(), s.name(), granted));
    }
    return out;
  }

  private boolean mayPush(Principal p, String repo) {
    if (access.allows(p, ResourceKind.REPO, repo, Action.PUSH)) {
      // Only a repository nobody belongs to can be new; asking the registry costs a round trip per push token.
      if (!p.isAnonymous() && !access.hasMembers(ResourceKind.REPO, repo) && !repositories.exists(repo)) {
        access.created(p, ResourceKind.REPO, repo);
      }
      return true;
    }
    if (p.isAnonymous() || repositories.exists(repo)) return false;
    String group = group(repo);
    if (group != null) {
      // created() does nothing when the group has members: then only a role there lets the caller in.
      access.created(p, ResourceKind.GROUP, group);
      if (!access.allows(p, ResourceKind.GROUP, group, Action.PUSH)) return false;
    }
    access.created(p, ResourceKind.REPO, repo);
    return access.allows(p, ResourceKind.REPO, repo, Action.PUSH);
  }

  /** The group of {@code team/app} is {@code team}; a name without '/' has none. */
  static String group(String repository) {
    int slash = repository.indexOf('/');
    return slash < 0 ? null : repository.substring(0, slash);
  }
}
