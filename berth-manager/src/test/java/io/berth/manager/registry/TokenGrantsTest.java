package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each scope gets exactly the actions the caller's role allows; new repositories make their pusher the owner. */
class TokenGrantsTest {
  final FakeAccess access = new FakeAccess().admin("root", "pw").user("alice", "pw").user("bob", "pw").user("carol", "pw");
  final Set<String> existing = new HashSet<>(Set.of("team/app", "lonely"));
  final TokenGrants grants = new TokenGrants(access, existing::contains);

  List<Scope> grant(String user, String... scopes) {
    Principal p = user == null ? Principal.anonymous() : access.principal(user);
    return grants.grant(p, Scope.parseAll(List.of(scopes)));
  }

  @Test
  void eachRoleGetsWhatTheMatrixAllowsOnAnExistingRepository() {
    access.member(ResourceKind.REPO, "team/app", "alice", Role.REPORTER).member(ResourceKind.REPO, "team/app", "bob", Role.DEVELOPER)
        .member(ResourceKind.GROUP, "team", "carol", Role.MASTER);
    String all = "repository:team/app:pull,push,delete";
    assertThat(grant("alice", all)).containsExactly(Scope.repository("team/app", "pull"));
    assertThat(grant("bob", all)).containsExactly(Scope.repository("team/app", "pull", "push"));
    assertThat(grant("carol", all)).containsExactly(Scope.repository("team/app", "pull", "push", "delete")); // via the group
    assertThat(grant("root", all)).containsExactly(Scope.repository("team/app", "pull", "push", "delete"));
  }

  @Test
  void strangersAndAnonymousGetNothingButPublicPulls() {
    assertThat(grant(null, "repository:team/app:pull,push")).isEmpty();
    assertThat(grant("alice", "repository:team/app:pull,push")).isEmpty();
    access.setPublic("team/app", true);
    assertThat(grant(null, "repository:team/app:pull,push")).containsExactly(Scope.repository("team/app", "pull"));
    assertThat(grant("alice", "repository:team/app:pull,push")).containsExactly(Scope.repository("team/app", "pull"));
  }

  @Test
  void pushingANewRepositoryIntoAGroupWithoutMembersMakesThePusherOwnerOfBoth() {
    assertThat(grant("alice", "repository:newteam/web:pull,push")).containsExactly(Scope.repository("newteam/web", "pull", "push"));
    assertThat(access.role(access.principal("alice"), ResourceKind.GROUP, "newteam")).contains(Role.OWNER);
    assertThat(access.role(access.principal("alice"), ResourceKind.REPO, "newteam/web")).contains(Role.OWNER);
    // bob is no member of newteam: he may neither push into it nor create a repository there
    assertThat(grant("bob", "repository:newteam/other:pull,push")).isEmpty();
    assertThat(access.membersOf(ResourceKind.REPO, "newteam/other")).isEmpty();
  }

  @Test
  void aDeveloperOfAGroupCreatesRepositoriesInItAndOwnsThem() {
    access.member(ResourceKind.GROUP, "team", "bob", Role.DEVELOPER).member(ResourceKind.GROUP, "team", "alice", Role.REPORTER);
    assertThat(grant("bob", "repository:team/new:push,pull")).containsExactly(Scope.repository("team/new", "pull", "push"));
    assertThat(access.role(access.principal("bob"), ResourceKind.REPO, "team/new")).contains(Role.OWNER);
    assertThat(access.membersOf(ResourceKind.GROUP, "team")).containsExactlyInAnyOrder("bob", "alice"); // unchanged
    assertThat(grant("alice", "repository:team/new2:push")).isEmpty();
  }

  @Test
  void anExistingRepositoryWithoutMembersIsNotTakenOverByAPush() {
    assertThat(grant("alice", "repository:lonely:push")).isEmpty();
    assertThat(grant("alice", "repository:brandnew:push")).containsExactly(Scope.repository("brandnew", "push"));
    assertThat(grant(null, "repository:brandnew2:push")).isEmpty();
  }

  @Test
  void aNameTheRegistryWouldRefuseGetsNothingNotEvenForAnAdministrator() {
    assertThat(grant("root", "repository:../v2/_catalog:pull")).isEmpty();
    assertThat(grant("root", "repository:Team/App:pull")).isEmpty();
    assertThat(grant("alice", "repository:team//app:push")).isEmpty();
  }

  @Test
  void theCatalogIsForAdministrators() {
    assertThat(grant("alice", "registry:catalog:*")).isEmpty();
    assertThat(grant("root", "registry:catalog:*")).containsExactly(new Scope("registry", "catalog", Set.of("*")));
  }
}
