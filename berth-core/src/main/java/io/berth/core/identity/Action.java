package io.berth.core.identity;

import java.util.Locale;

/**
 * What a member may do to a resource. Not every action applies to every kind; {@link Permissions}
 * says which do, and the least role that may take each.
 */
public enum Action {
  /** See that the resource exists: its name in lists, and its members. */
  VIEW,
  /** Read its details: an app's versions, instances, events, logs and containers; a group's repositories; a build's runs. */
  READ,
  /** Exec into, restart, stop and start an app's containers on the Docker endpoint. */
  EXEC,
  /** Deploy a new version of an app, roll back, promote or abort a canary. */
  DEPLOY,
  /** Change an app's instance count. */
  SCALE,
  /** Add, remove, mute and unmute an app's alert rules. */
  ALERTS,
  /** Pull images from a repository (or any repository of a group). */
  PULL,
  /** Push images to a repository (into a group: also create new repositories there). */
  PUSH,
  /** Delete tags of a repository (of any repository of a group). */
  DELETE_TAG,
  /** Make a repository public or private. */
  VISIBILITY,
  /** Run a build. */
  RUN,
  /** Cancel a build's run. */
  CANCEL,
  /** Read a build run's log. */
  LOGS,
  /** Change a build's settings (repository, branch, image, caches, deploy, timeout). */
  SETTINGS,
  /** See and rotate a build's webhook secret. */
  WEBHOOK,
  /** Add and remove members (only an owner adds or removes an owner). */
  MEMBERS,
  /** Remove the resource itself. */
  DELETE;

  /** The word used in docs/permissions.md, the API and the CLI: {@code delete-tag}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
