package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnershipTest {
  static final Map<String, String> WEB = Map.of("io.berth.domain", "apps", "io.berth.process-guid", "team-web-v12");
  final TestAccess access = new TestAccess().member("gail", ResourceKind.APP, "team-web", Role.GUEST)
      .member("olga", ResourceKind.APP, "team-web", Role.OWNER);
  final Ownership owners = new Ownership(access);

  @Test
  void anAppsInstanceIsNamedByItsProcessGuidInTheAppsDomainOnly() {
    assertThat(Ownership.app(WEB)).contains("team-web");
    assertThat(Ownership.app(Map.of("io.berth.domain", "other", "io.berth.process-guid", "team-web-v12"))).isEmpty();
    assertThat(Ownership.app(Map.of("io.berth.domain", "apps", "io.berth.process-guid", "no-version"))).isEmpty();
  }

  @Test
  void aGuestSeesTheInstanceButMayNotReadIt() {
    Principal gail = TestAccess.user("gail");
    assertThat(owners.sees(gail, WEB)).isTrue();
    assertThatThrownBy(() -> owners.require(gail, "web-1", WEB, Action.READ, "read the logs of"))
        .isInstanceOf(BerthException.Forbidden.class)
        .hasMessage("gail may not read the logs of container web-1: it belongs to app team-web, where gail is a guest (read needs reporter)");
    owners.require(TestAccess.user("olga"), "web-1", WEB, Action.DEPLOY, "remove");
  }

  @Test
  void anOwnersContainerIsTheirsAloneAndAnUnlabelledOneTheAdministrators() {
    Map<String, String> hers = Map.of("io.berth.owner", "alice");
    assertThat(owners.sees(TestAccess.user("alice"), hers)).isTrue();
    assertThat(owners.sees(TestAccess.user("olga"), hers)).isFalse();
    assertThat(owners.sees(TestAccess.user("olga"), Map.of())).isFalse();
    assertThat(owners.sees(new Principal("admin", true, "local"), Map.of())).isTrue();
    assertThatThrownBy(() -> owners.require(TestAccess.user("olga"), "x", hers, Action.READ, "inspect"))
        .isInstanceOf(BerthException.NotFound.class).hasMessage("No such container: x");
  }

  @Test
  void eachContainerRouteNeedsTheActionItsEffectCalls() {
    assertThat(Ownership.need("GET", "/json")).isEqualTo(new Ownership.Need(Action.READ, "inspect"));
    assertThat(Ownership.need("GET", "/logs").action()).isEqualTo(Action.READ);
    assertThat(Ownership.need("GET", "/archive").action()).isEqualTo(Action.READ);
    assertThat(Ownership.need("PUT", "/archive").action()).isEqualTo(Action.EXEC);
    assertThat(Ownership.need("POST", "/kill")).isEqualTo(new Ownership.Need(Action.EXEC, "kill"));
    assertThat(Ownership.need("POST", "/attach")).isEqualTo(new Ownership.Need(Action.EXEC, "attach to"));
    assertThat(Ownership.need("DELETE", "")).isEqualTo(new Ownership.Need(Action.DEPLOY, "remove"));
    assertThat(Ownership.need("POST", "/rename").action()).isEqualTo(Action.DEPLOY);
  }
}
