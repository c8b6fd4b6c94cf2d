package io.berth.manager.build;

import java.time.Instant;
import java.util.List;

/**
 * A build as stored at {@code /berth/builds/{name}}. One made by {@code docker build} through the
 * manager has only its name, creator and time; one made by {@code berth build create} (a code build)
 * also has its git repository and what to do with it.
 *
 * @param image the registry repository it pushes to ({@code team/app}), without the registry host
 * @param caches the cache directories kept between runs: {@code m2}, {@code npm} or a path under the build's dir
 * @param deploy the app that gets a new version with each image built, or null
 * @param hookSecret the webhook's secret: shown only to those who may take {@code webhook}
 */
record Build(String name, String createdBy, Instant createdAt, String gitUrl, String branch, String dockerfile,
             String context, String image, List<String> caches, String deploy, Integer timeoutSeconds, String hookSecret) {

  /** A build recorded by its first {@code docker build}. */
  static Build dockerBuild(String name, String user, Instant at) {
    return new Build(name, user, at, null, null, null, null, null, null, null, null, null);
  }

  /** True for a build made by {@code berth build create}, which Berth itself clones and builds. */
  boolean isCode() {
    return gitUrl != null;
  }

  Build withSecret(String secret) {
    return new Build(name, createdBy, createdAt, gitUrl, branch, dockerfile, context, image, caches, deploy, timeoutSeconds, secret);
  }
}
