package io.berth.core;

/**
 * The store's key layout in one place, so that every writer and reader agrees on it
 * (see docs/architecture.md for the whole table).
 */
public final class Keys {
  /** Durable node records: {@code /berth/nodes/{name}}. */
  public static final String NODES = "/berth/nodes/";
  /** Liveness keys on each node's lease: {@code /berth/health/{name}}; gone means down. */
  public static final String HEALTH = "/berth/health/";
  /** The activity log: {@code /berth/events/{sortable time}-{seq}}. */
  public static final String EVENTS = "/berth/events/";
  /** The leader's key, on its lease, holding its manager's name; its create revision fences each term. */
  public static final String LEADER = "/berth/leader";
  /** Live managers, each on its lease: {@code /berth/managers/{name}}. */
  public static final String MANAGERS = "/berth/managers/";
  /** Cluster-wide secrets and settings: CA, join token, admin token hash. */
  public static final String CLUSTER = "/berth/cluster/";

  /** DesiredLRPs: {@code /berth/desired/{process_guid}}. */
  public static final String DESIRED = "/berth/desired/";
  /** ActualLRPs: {@code /berth/actual/{process_guid}/{index}}. */
  public static final String ACTUAL = "/berth/actual/";
  /** Tasks: {@code /berth/tasks/{task_guid}}. */
  public static final String TASKS = "/berth/tasks/";
  /** Fresh domains, each on a lease of its freshness TTL (or none): {@code /berth/domains/{domain}}. */
  public static final String DOMAINS = "/berth/domains/";
  /** Instances kept running on a draining node until their replacement runs: {@code /berth/evacuating/{process_guid}/{index}}. */
  public static final String EVACUATING = "/berth/evacuating/";
  /** Nodes being drained: {@code /berth/drain/{node}}; no new work is placed there. */
  public static final String DRAIN = "/berth/drain/";
  /** Work for one node: {@code /berth/assign/{node}/{instance_guid}}. */
  public static final String ASSIGN = "/berth/assign/";

  /** Apps: {@code /berth/apps/{app}}, and their versions at {@code /berth/apps/{app}/versions/{n}}. */
  public static final String APPS = "/berth/apps/";
  /** Each app's activity: {@code /berth/app-events/{app}/{sortable time}-{seq}}. */
  public static final String APP_EVENTS = "/berth/app-events/";
  /** Live routers, each on its lease: {@code /berth/routers/{group}/{id}}. */
  public static final String ROUTERS = "/berth/routers/";
  /** What routers serve (LeEngine's layout): {@code /slb/{group}/domains/{domain}}. */
  public static final String SLB = "/slb/";

  /** Users: {@code /berth/users/{name}} (the password only as a bcrypt hash). */
  public static final String USERS = "/berth/users/";
  /** API and session tokens: {@code /berth/tokens/{id}} (the token only as its SHA-256). */
  public static final String TOKENS = "/berth/tokens/";
  /** Members: {@code /berth/members/{kind}/{url-encoded name}/{user}} → role. */
  public static final String MEMBERS = "/berth/members/";
  /** Image repositories' settings (visibility): {@code /berth/repos/{url-encoded name}}. */
  public static final String REPOS = "/berth/repos/";
  /** The audit log of mutating calls: {@code /berth/audit/{sortable time}-{seq}}. */
  public static final String AUDIT = "/berth/audit/";

  private Keys() {}

  /** A resource's name as one key segment: a repository {@code team/app} becomes {@code team%2Fapp}. */
  public static String segment(String name) {
    return name.replace("%", "%25").replace("/", "%2F");
  }

  /** The name a {@link #segment} holds. */
  public static String unsegment(String segment) {
    return segment.replace("%2F", "/").replace("%25", "%");
  }

  public static String members(String kind, String name) {
    return MEMBERS + kind + "/" + segment(name) + "/";
  }

  public static String app(String name) {
    return APPS + name;
  }

  public static String appVersion(String name, int version) {
    return APPS + name + "/versions/" + version;
  }

  public static String route(String group, String domain) {
    return SLB + group + "/domains/" + domain;
  }

  public static String router(String group, String id) {
    return ROUTERS + group + "/" + id;
  }

  public static String desired(String processGuid) {
    return DESIRED + processGuid;
  }

  public static String actual(String processGuid, int index) {
    return ACTUAL + processGuid + "/" + index;
  }

  public static String evacuating(String processGuid, int index) {
    return EVACUATING + processGuid + "/" + index;
  }

  public static String task(String taskGuid) {
    return TASKS + taskGuid;
  }

  public static String domain(String domain) {
    return DOMAINS + domain;
  }

  public static String assignment(String node, String instanceGuid) {
    return ASSIGN + node + "/" + instanceGuid;
  }

  public static String node(String name) {
    return NODES + name;
  }

  public static String manager(String name) {
    return MANAGERS + name;
  }

  public static String health(String name) {
    return HEALTH + name;
  }

  /** The part of a key after its prefix. */
  public static String tail(String key, String prefix) {
    return key.substring(prefix.length());
  }
}
