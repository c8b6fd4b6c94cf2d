package io.berth.bench;

import static io.berth.bench.IdentityBench.PASSWORD;
import static io.berth.bench.Latencies.header;
import static io.berth.bench.Latencies.interleaved;
import static io.berth.bench.Latencies.num;
import static io.berth.bench.Latencies.pct;
import static io.berth.bench.Latencies.row;

import io.berth.bench.Latencies.Call;
import io.berth.bench.Latencies.Pair;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.identity.Tokens;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Part 1 of {@code scripts/bench identity}, in process on a real SQLite store: permission checks,
 * token verification, sign-in and token issuance, each beside its baseline (see {@link IdentityBench}).
 */
final class IdentityInProcess {
  private static final Principal ADMIN = Principal.adminToken();
  private static final String FROM = "127.0.0.1";

  static final int APPS = 1_000;
  static final int MEMBERS_PER_APP = 10;
  static final int USERS = 100;
  static final int GROUPS = 100;
  static final int CHECKS = 300_000;

  private IdentityInProcess() {}

  static String user(int u) {
    return "u" + u;
  }

  static String app(int a) {
    return "app" + a;
  }

  static String group(int g) {
    return "team" + g;
  }

  /** Repository {@code a}: ten per group. */
  static String repo(int a) {
    return group(a % GROUPS) + "/app" + a;
  }

  /** The m-th member of resource r: ten distinct users of the hundred. */
  static int member(int r, int m) {
    return (r + m * 10) % USERS;
  }

  static void run(Path dir) throws Exception {
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("identity.db"))) {
      Clock clock = Clock.systemUTC();
      ClusterSecrets secrets = ClusterSecrets.loadOrCreate(store, clock.instant());
      Role[] roles = Role.values();
      // Cheap hashes for the hundred members: they never sign in here; "bench" below has cost 12.
      try (StoreAccess setup = new StoreAccess(store, clock, secrets, 4)) {
        for (int u = 0; u < USERS; u++) setup.accounts().createUser(ADMIN, user(u), "password-" + u, false);
        for (int a = 0; a < APPS; a++) {
          for (int m = 0; m < MEMBERS_PER_APP; m++) setup.accounts().setMember(ADMIN, ResourceKind.APP, app(a), user(member(a, m)), roles[(a + m) % roles.length]);
        }
        for (int g = 0; g < GROUPS; g++) {
          for (int m = 0; m < MEMBERS_PER_APP; m++) setup.accounts().setMember(ADMIN, ResourceKind.GROUP, group(g), user(member(g, m)), roles[(g + m) % roles.length]);
        }
        for (int a = 0; a < APPS; a += 10) setup.setPublic(repo(a), true);
      }
      long l0 = System.nanoTime();
      StoreAccess access = new StoreAccess(store, clock, secrets, 12);
      double loadMs = (System.nanoTime() - l0) / 1e6;
      try (access) {
        long c0 = System.nanoTime();
        access.accounts().createUser(ADMIN, "bench", PASSWORD, false);
        double createMs = (System.nanoTime() - c0) / 1e6;
        System.out.printf("== identity in process: SQLite store, %,d apps x %d members, %d groups x %d, %,d repos (1 in 10 public), %d users%n",
            APPS, MEMBERS_PER_APP, GROUPS, MEMBERS_PER_APP, APPS, USERS);
        System.out.printf("StoreAccess start (reads %,d memberships into memory): %.0f ms; createUser at bcrypt cost 12: %.0f ms%n",
            APPS * MEMBERS_PER_APP + GROUPS * MEMBERS_PER_APP, loadMs, createMs);
        // A whole pass of each first, unreported: on two busy cores the JIT is still compiling after
        // a warm-up loop, and the first pass's p99 of allows() came out ~35x the next pass's.
        permissions(access, false);
        tokens(store, access, false);
        header("us");
        permissions(access, true);
        tokens(store, access, true);
        signIn(access);
      }
    }
  }

  static void permissions(StoreAccess access, boolean report) throws Exception {
    Random rnd = new Random(42);
    Principal[] principals = new Principal[USERS];
    for (int u = 0; u < USERS; u++) principals[u] = new Principal(user(u), false, "token");
    Action[] appActions = Permissions.of(ResourceKind.APP).keySet().toArray(Action[]::new);
    String[] apps = new String[APPS];
    String[] repos = new String[APPS];
    for (int a = 0; a < APPS; a++) {
      apps[a] = app(a);
      repos[a] = repo(a);
    }
    int n = CHECKS;
    int[] who = new int[n];
    int[] what = new int[n];
    Action[] action = new Action[n];
    Role[] appRole = new Role[n];
    Role[] repoRole = new Role[n];
    for (int i = 0; i < n; i++) {
      what[i] = rnd.nextInt(APPS);
      who[i] = rnd.nextBoolean() ? member(what[i], rnd.nextInt(MEMBERS_PER_APP)) : rnd.nextInt(USERS); // half members, half anyone
      action[i] = appActions[rnd.nextInt(appActions.length)];
      appRole[i] = access.role(principals[who[i]], ResourceKind.APP, apps[what[i]]).orElse(null);
      repoRole[i] = access.role(principals[who[i]], ResourceKind.REPO, repos[what[i]]).orElse(null);
    }
    Call allows = i -> access.allows(principals[who[i]], ResourceKind.APP, apps[what[i]], action[i]);
    Call table = i -> Permissions.allows(ResourceKind.APP, appRole[i], action[i]);
    interleaved(n, allows, table); // warm-up: the JIT compiles both (slowly, on busy cores)
    interleaved(n, allows, table);
    Pair p = interleaved(n, allows, table);
    int allowed = 0;
    for (int i = 0; i < n; i++) if (Permissions.allows(ResourceKind.APP, appRole[i], action[i])) allowed++;
    if (report) row("allows(app), " + (100 * allowed / n) + "% allowed", p.measured(), "Permissions.allows, role known", p.baseline(), 1e3);

    // require: the same calls; the denied ones throw a 403 whose message names the roles.
    long[] ok = new long[n];
    long[] denied = new long[n];
    int okCount = 0;
    int deniedCount = 0;
    for (int round = 0; round < 3; round++) { // the last is measured
      okCount = 0;
      deniedCount = 0;
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        boolean refused = false;
        try {
          access.require(principals[who[i]], ResourceKind.APP, apps[what[i]], action[i]);
        } catch (BerthException.Forbidden f) {
          refused = true;
        }
        long t = System.nanoTime() - t0;
        if (refused) denied[deniedCount++] = t;
        else ok[okCount++] = t;
      }
    }
    long[] noop = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      noop[i] = System.nanoTime() - t0;
    }
    if (report) row("require(app), allowed", Arrays.copyOf(ok, okCount), "Permissions.allows, role known", p.baseline(), 1e3);
    if (report) row("require(app), denied (403 thrown)", Arrays.copyOf(denied, deniedCount), "Permissions.allows, role known", p.baseline(), 1e3);
    if (report) System.out.printf("(the clock itself, two nanoTime calls: p50 %s us, p99 %s us)%n", num(pct(noop, 50) / 1e3), num(pct(noop, 99) / 1e3));

    Call pull = i -> access.allows(principals[who[i]], ResourceKind.REPO, repos[what[i]], Action.PULL);
    Call pullTable = i -> Permissions.allows(ResourceKind.REPO, repoRole[i], Action.PULL);
    int m = 100_000;
    interleaved(m, pull, pullTable);
    interleaved(m, pull, pullTable);
    Pair r = interleaved(m, pull, pullTable);
    if (report) row("allows(repo, pull): visibility read", r.measured(), "Permissions.allows, role known", r.baseline(), 1e3);
  }

  static void tokens(StateStore store, StoreAccess access, boolean report) throws Exception {
    Random rnd = new Random(7);
    int n = 1_200;
    List<Tokens.Issued> issued = new ArrayList<>();
    byte[][] record = new byte[1][];
    Call issue = i -> {
      Tokens.Issued t = access.accounts().issueToken(new Principal(user(i % USERS), false, "token"), "bench", Duration.ofDays(30));
      issued.add(t);
      return t;
    };
    Call put = i -> {
      if (record[0] == null) record[0] = store.get(Keys.TOKENS + issued.get(0).id()).orElseThrow().value();
      return store.put("/bench/tokens/" + issued.get(i).id(), record[0]); // a new key, as issuing writes one
    };
    Pair p = interleaved(n, issue, put);
    int warm = 200;
    if (report) row("issueToken (API token)", Arrays.copyOfRange(p.measured(), warm, n), "store put of the same record", Arrays.copyOfRange(p.baseline(), warm, n), 1e3);

    int v = 20_000;
    String[] bearer = new String[v];
    String[] basic = new String[v];
    String[] ids = new String[v];
    for (int i = 0; i < v; i++) {
      Tokens.Issued t = issued.get(rnd.nextInt(issued.size()));
      bearer[i] = "Bearer " + t.token();
      basic[i] = "Basic " + Base64.getEncoder().encodeToString((t.user() + ":" + t.token()).getBytes(StandardCharsets.UTF_8));
      ids[i] = Keys.TOKENS + t.id();
    }
    Call verify = i -> access.caller(Optional.of(bearer[i]), FROM);
    Call get = i -> store.get(ids[i]);
    interleaved(v, verify, get);
    Pair b = interleaved(v, verify, get);
    if (report) row("caller(Bearer API token)", b.measured(), "store get of the token record", b.baseline(), 1e3);
    Call viaBasic = i -> access.caller(Optional.of(basic[i]), FROM);
    interleaved(v, viaBasic, get);
    Pair bb = interleaved(v, viaBasic, get);
    if (report) row("caller(Basic user:API token)", bb.measured(), "store get of the token record", bb.baseline(), 1e3);
  }

  static void signIn(StoreAccess access) throws Exception {
    String hash = access.users().find("bench").orElseThrow().passwordHash();
    int n = 22;
    Call signIn = i -> access.signIn("bench", PASSWORD, FROM);
    Call bcrypt = i -> OpenBSDBCrypt.checkPassword(hash, PASSWORD.toCharArray()) ? Boolean.TRUE : null;
    Pair p = interleaved(n, signIn, bcrypt);
    System.out.println();
    header("ms");
    row("signIn(user, password), bcrypt cost 12", Arrays.copyOfRange(p.measured(), 2, n), "OpenBSDBCrypt.checkPassword alone",
        Arrays.copyOfRange(p.baseline(), 2, n), 1e6);
  }
}
