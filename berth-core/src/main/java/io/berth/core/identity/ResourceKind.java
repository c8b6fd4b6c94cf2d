package io.berth.core.identity;

import io.berth.core.error.BerthException;
import java.util.Locale;

/** The kinds of resource that have members: an app, an image repository, an image group (a namespace of repositories), a build. */
public enum ResourceKind {
  APP, REPO, GROUP, BUILD;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ResourceKind parse(String word) {
    for (ResourceKind k : values()) if (k.word().equalsIgnoreCase(word == null ? "" : word.trim())) return k;
    throw new BerthException.Invalid("UnknownResourceKind", "no such kind of resource: '" + word + "' (kinds: app, repo, group, build)");
  }
}
