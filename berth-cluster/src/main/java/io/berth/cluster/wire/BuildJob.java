package io.berth.cluster.wire;

import java.util.List;

/**
 * One run of a code build, as the manager hands it to the build node's agent
 * ({@code GET /v1/cluster/build-jobs?after=REV}): everything the agent needs to clone, prepare,
 * build and push, so an agent never reads the store. A job that leaves the node's list is
 * cancelled.
 *
 * @param build the build's name; {@code run} its run number (1, 2, …)
 * @param ref the branch, tag or commit to build
 * @param dockerfile the Dockerfile's path in the repository; {@code context} the build context's
 * @param image the repository to push to, with the registry host ({@code 127.0.0.1:5000/team/app})
 * @param tag the image tag; null: the commit's short id
 * @param caches the cache directories kept between runs ({@code m2}, {@code npm} or a relative path)
 * @param noCache ignore the caches (and the engine's build cache) for this run
 * @param timeoutSeconds the whole run's limit
 * @param registryAuth the {@code X-Registry-Auth} header the engine pushes with (base64url JSON), or null
 */
public record BuildJob(String build, int run, String gitUrl, String ref, String dockerfile, String context,
                       String image, String tag, List<String> caches, boolean noCache, int timeoutSeconds,
                       String registryAuth) {
  public BuildJob {
    caches = caches == null ? List.of() : List.copyOf(caches);
  }

  /** The run's id on the wire and in logs: {@code NAME#RUN}. */
  public String id() {
    return build + "#" + run;
  }
}
