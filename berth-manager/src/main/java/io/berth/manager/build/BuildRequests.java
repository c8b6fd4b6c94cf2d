package io.berth.manager.build;

import io.berth.core.Durations;
import io.berth.core.error.BerthException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bodies of {@code POST /v1/builds} and {@code PUT /v1/builds/NAME}, checked into a {@link Build}:
 * each problem is a 400 naming its field, and nothing is written until all of them hold.
 */
final class BuildRequests {
  static final int DEFAULT_TIMEOUT_SECONDS = 30 * 60;
  static final Duration MAX_TIMEOUT = Duration.ofHours(24);
  /** The cache names that stand for a tool's usual directory; anything else is a path under the build's dir. */
  static final List<String> NAMED_CACHES = List.of("m2", "npm");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?(/[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?){0,3}");
  private static final Pattern APP = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._/+-]{0,199}");
  private static final Pattern GIT_URL = Pattern.compile("(https?|git|ssh)://[^\\s/@]+(@[^\\s/]+)?(:\\d+)?/\\S*|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\\S+");
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._/-]{0,254}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A request's fields: every one optional on an edit, where a field left out keeps its value. */
  record Body(String name, String gitUrl, String branch, String dockerfile, String context, String image, List<String> caches,
              String deploy, String timeout) {}

  private BuildRequests() {}

  /** A new build from {@code b}; the image defaults to the build's name. */
  static Build create(Body b, String user, Instant now) {
    String name = required(b.name(), "name");
    if (!NAME.matcher(name).matches()) {
      throw invalid("name: lower-case letters, digits, '.', '_' and '-', in up to four parts joined by '/' (e.g. team/app): '" + name + "'");
    }
    Build blank = new Build(name, user, now, null, "main", "Dockerfile", ".", name, List.of(), null, DEFAULT_TIMEOUT_SECONDS, secret());
    if (b.gitUrl() == null) throw invalid("git_url: required, e.g. https://git.example.com/team/app.git");
    return edit(blank, b);
  }

  /** {@code old} with the fields {@code b} gives. */
  static Build edit(Build old, Body b) {
    if (b.name() != null && !b.name().equals(old.name())) throw invalid("name: a build cannot be renamed (" + old.name() + ")");
    String url = b.gitUrl() == null ? old.gitUrl() : gitUrl(b.gitUrl());
    String branch = b.branch() == null ? old.branch() : ref(b.branch(), "branch");
    String dockerfile = b.dockerfile() == null ? old.dockerfile() : path(b.dockerfile(), "dockerfile");
    String context = b.context() == null ? old.context() : b.context().equals(".") ? "." : path(b.context(), "context");
    String image = b.image() == null ? old.image() : image(b.image());
    List<String> caches = b.caches() == null ? old.caches() : caches(b.caches());
    String deploy = b.deploy() == null ? old.deploy() : b.deploy().isEmpty() ? null : app(b.deploy());
    int timeout = b.timeout() == null ? old.timeoutSeconds() : timeout(b.timeout());
    if (!NAME.matcher(image).matches()) throw invalid("image: the build's name is not a repository name: give --image team/app");
    return new Build(old.name(), old.createdBy(), old.createdAt(), url, branch, dockerfile, context, image, caches, deploy, timeout,
        old.hookSecret() == null ? secret() : old.hookSecret());
  }

  /** A fresh webhook secret: 32 random bytes in hex. */
  static String secret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String gitUrl(String url) {
    if (!GIT_URL.matcher(url).matches()) {
      throw invalid("git_url: not a git URL Berth clones (https://, http://, git://, ssh:// or user@host:path): '" + url + "'");
    }
    return url;
  }

  /** A branch, tag or commit as git takes it: no leading '-', no "..", no spaces. */
  static String ref(String ref, String field) {
    if (!REF.matcher(ref).matches() || ref.contains("..") || ref.endsWith("/") || ref.endsWith(".lock")) {
      throw invalid(field + ": not a branch, tag or commit name: '" + ref + "'");
    }
    return ref;
  }

  static String path(String p, String field) {
    if (p.startsWith("/")) throw invalid(field + ": must be a path inside the repository, not absolute: '" + p + "'");
    if (!PATH.matcher(p).matches() || List.of(p.split("/")).contains("..")) {
      throw invalid(field + ": must be a path inside the repository (letters, digits, '.', '_', '-', '/'; no '..'): '" + p + "'");
    }
    return p;
  }

  static String image(String image) {
    int slash = image.indexOf('/');
    if (slash > 0 && (image.substring(0, slash).contains(".") || image.substring(0, slash).contains(":"))) {
      throw invalid("image: name the repository without the registry host (team/app), Berth pushes to its own registry: '" + image + "'");
    }
    if (image.contains(":") || image.contains("@")) throw invalid("image: name the repository without a tag (run --tag sets one): '" + image + "'");
    if (!NAME.matcher(image).matches()) throw invalid("image: not a repository name (lower-case, e.g. team/app): '" + image + "'");
    return image;
  }

  static List<String> caches(List<String> given) {
    List<String> out = new ArrayList<>();
    for (String c : given) {
      if (c == null || c.isBlank()) throw invalid("caches: an empty cache name");
      if (NAMED_CACHES.contains(c)) {
        out.add(c);
        continue;
      }
      if (c.startsWith("/") || c.startsWith("~")) {
        throw invalid("caches: '" + c + "' is outside the build's directory: give m2, npm or a relative path such as cache/deps");
      }
      if (List.of(c.split("/")).contains("..")) throw invalid("caches: '" + c + "' leaves the build's directory ('..')");
      out.add(path(c, "caches"));
    }
    return List.copyOf(out);
  }

  static String app(String app) {
    if (!APP.matcher(app).matches()) throw invalid("deploy: not an app name: '" + app + "'");
    return app;
  }

  static int timeout(String text) {
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid("timeout: " + e.getMessage());
    }
    if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(MAX_TIMEOUT) > 0) throw invalid("timeout: from 1m to 24h, not " + text);
    return (int) d.toSeconds();
  }

  private static String required(String v, String field) {
    if (v == null || v.isBlank()) throw invalid(field + ": required");
    return v;
  }

  static BerthException.Invalid invalid(String message) {
    return new BerthException.Invalid("InvalidBuild", message);
  }
}
