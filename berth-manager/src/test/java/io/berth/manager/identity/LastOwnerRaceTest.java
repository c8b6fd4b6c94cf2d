package io.berth.manager.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.TestStore;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two managers on one store removing or demoting a resource's last two owners at once: one wins, one gets LastOwner. */
class LastOwnerRaceTest {
  static final int ROUNDS = 2;
  static final Principal ADMIN = Principal.adminToken();
  @RegisterExtension final TestStore stores = new TestStore();
  StateStore store;
  StallingStore stalling;
  StoreAccess a;
  StoreAccess b;

  @BeforeEach
  void open() {
    store = stores.get();
    ClusterSecrets secrets = ClusterSecrets.loadOrCreate(store, Clock.systemUTC().instant());
    // Both managers' owner checks read the store before either writes, unless the owners lock keeps one out.
    stalling = new StallingStore(store, Keys.MEMBERS + "app/", Duration.ofMillis(200));
    a = new StoreAccess(stalling, Clock.systemUTC(), secrets, 4);
    b = new StoreAccess(stalling, Clock.systemUTC(), secrets, 4);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void twoManagersRemovingTheLastTwoOwnersAtOnceLeaveOne() throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      String app = "race" + i;
      twoOwners(app);
      List<Throwable> failures = race(() -> a.accounts().removeMember(ADMIN, ResourceKind.APP, app, "alice"),
          () -> b.accounts().removeMember(ADMIN, ResourceKind.APP, app, "bob"));
      assertThat(failures).as("round %d", i).hasSize(1).first().isInstanceOf(BerthException.Conflict.class);
      assertThat(a.members().storedOwners(ResourceKind.APP, app)).hasSize(1);
    }
  }

  @Test
  void twoManagersDemotingTheLastTwoOwnersAtOnceLeaveOne() throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      String app = "demote" + i;
      twoOwners(app);
      List<Throwable> failures = race(() -> a.accounts().setMember(ADMIN, ResourceKind.APP, app, "alice", Role.GUEST),
          () -> b.accounts().setMember(ADMIN, ResourceKind.APP, app, "bob", Role.GUEST));
      assertThat(failures).as("round %d", i).hasSize(1);
      assertThat(a.members().storedOwners(ResourceKind.APP, app)).hasSize(1);
    }
  }

  @Test
  void aUserRemovedThroughOneManagerWhileTheOtherRemovesTheOtherOwnerLeavesOne() throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      String app = "user" + i;
      twoOwners(app, "alice" + i, "bob");
      String alice = "alice" + i;
      List<Throwable> failures = race(() -> a.accounts().removeUser(ADMIN, alice),
          () -> b.accounts().removeMember(ADMIN, ResourceKind.APP, app, "bob"));
      assertThat(failures).as("round %d", i).hasSize(1);
      assertThat(a.members().storedOwners(ResourceKind.APP, app)).hasSize(1);
    }
  }

  @Test
  void aMemberTheOtherManagerAlreadyRemovedIsNotCalledTheLastOwner() {
    twoOwners("gone");
    a.accounts().removeMember(ADMIN, ResourceKind.APP, "gone", "alice");
    assertThatThrownBy(() -> b.accounts().removeMember(ADMIN, ResourceKind.APP, "gone", "bob"))
        .hasMessage("bob is the last owner of app gone: make someone else owner first");
  }

  private void twoOwners(String app) {
    twoOwners(app, "alice", "bob");
  }

  private void twoOwners(String app, String... users) {
    for (String user : users) {
      if (a.users().find(user).isEmpty()) a.accounts().createUser(ADMIN, user, "password " + user, false);
      a.members().put(ResourceKind.APP, app, user, Role.OWNER, "admin");
      // the other manager's mirror learns of it by its watch; the race starts once both know both owners
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.members().role(ResourceKind.APP, app, user).isPresent());
    }
  }

  /** Runs both at once (as near as two threads get), returning what each threw. */
  private static List<Throwable> race(Runnable first, Runnable second) throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (Runnable r : List.of(first, second)) {
      CompletableFuture<Void> run = new CompletableFuture<>();
      runs.add(run);
      Thread.ofPlatform().start(() -> { // own threads: the common pool may have one, which would run them in turn
        try {
          go.await();
          r.run();
          run.complete(null);
        } catch (Throwable e) {
          run.completeExceptionally(e);
        }
      });
    }
    go.countDown();
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<Void> run : runs) {
      try {
        run.get();
      } catch (ExecutionException e) {
        failures.add(e.getCause());
      }
    }
    return failures;
  }
}
