package io.berth.engine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What Berth needs from one container engine. {@link DockerEngine} talks to a real Docker
 * engine; {@link FakeEngine} keeps everything in memory for tests, the simulator and
 * benchmarks. Both pass {@code ContainerEngineContract}.
 *
 * <p>Failures are {@link EngineException}s whose message is the engine's own words
 * ("No such container: x"), with {@link EngineException#status()} the HTTP status the
 * engine answered (404, 409, …) or 503 when the engine could not be reached.
 */
public interface ContainerEngine extends AutoCloseable {

  /** Checks that the engine answers; throws {@link EngineException} (503) when it does not. */
  void ping();

  /** Facts about the engine and its host, for the node record. */
  EngineInfo info();

  /** Lists containers; {@code all} includes stopped ones. {@code labels} filters by label equality. */
  List<ContainerSummary> listContainers(boolean all, Map<String, String> labels);

  /** Inspects one container by id or name. */
  Optional<ContainerDetails> inspect(String idOrName);

  /** Creates a container and returns its id. */
  String create(ContainerSpec spec);

  /** Starts a created or stopped container. */
  void start(String id);

  /** Stops a running container, killing it after {@code timeoutSeconds}. */
  void stop(String id, int timeoutSeconds);

  /** Removes a container; {@code force} kills it first when running. */
  void remove(String id, boolean force);

  /**
   * Runs {@code cmd} in a running container (as {@code docker exec}, no tty, no stdin) and waits
   * up to {@code timeout} for it to end; output is stdout and stderr interleaved, at most 64 KiB.
   * A process still running at the timeout is left running and reported as exit code -1.
   */
  ExecResult exec(String id, List<String> cmd, Duration timeout);

  /** Unpacks a tar archive into the container at directory {@code path} (as {@code PUT /containers/{id}/archive}). */
  void putArchive(String id, String path, InputStream tar);

  /**
   * A tar archive of {@code path} in the container, running or not (as {@code GET /containers/{id}/archive});
   * 404 when the container or the path does not exist.
   */
  byte[] getArchive(String id, String path);

  /**
   * As {@link #getArchive}, read as it comes: a large file never sits in memory whole. The caller
   * closes the stream; 404 when the container or the path does not exist (thrown here, not on read).
   */
  default InputStream openArchive(String id, String path) {
    return new ByteArrayInputStream(getArchive(id, path));
  }

  /**
   * Calls {@code listener} with every container event from now on until the returned handle is
   * closed. The listener must not block. Delivery is best effort: a stream that breaks is
   * reopened, and events in the gap may be lost, so callers also list containers now and then.
   */
  AutoCloseable events(Consumer<ContainerEvent> listener);

  /**
   * One reading of a running container's counters (CPU time, memory, network, block I/O, pids);
   * empty when the container is gone or not running. Engines that cannot tell give empty.
   */
  default Optional<ContainerStats> stats(String id) {
    return Optional.empty();
  }

  /** Lists the images present, by their repo:tag names. */
  List<ImageSummary> listImages();

  /** True when an image with this reference (repo:tag or id) is present. */
  boolean hasImage(String reference);

  /** Imports a root filesystem tarball as image {@code repository:tag} (as {@code docker import}). */
  void importImage(InputStream rootfsTar, String repository, String tag);

  /**
   * Pulls {@code reference} ({@code repo:tag} or {@code host:port/repo:tag}) from its registry, as
   * {@code docker pull}, telling {@code progress} each status line; throws {@link EngineException}
   * with the engine's words when the registry refuses or cannot be reached.
   */
  void pull(String reference, Consumer<String> progress);

  /**
   * {@link #pull(String, Consumer)} with credentials: {@code registryAuth} is the
   * {@code X-Registry-Auth} header (base64url JSON, e.g. {@code {"registrytoken": JWT}} for a registry
   * with token auth), or null for none.
   */
  default void pull(String reference, String registryAuth, Consumer<String> progress) {
    pull(reference, progress);
  }

  /**
   * Builds an image, as {@code docker build}: {@code context} is a tar of the build context with the
   * Dockerfile at {@code dockerfile} (a path inside it); the image gets every one of {@code tags}
   * ({@code repo:tag}); {@code noCache} ignores the engine's build cache. Each line of the build's
   * output goes to {@code progress}. A failing instruction or a missing Dockerfile is an
   * {@link EngineException} with the engine's words. Interrupting the calling thread stops the build.
   */
  default void build(InputStream context, String dockerfile, List<String> tags, boolean noCache, Consumer<String> progress) {
    throw new EngineException(501, this + " cannot build images");
  }

  /**
   * Pushes {@code reference} ({@code host:port/repo:tag}) to its registry, as {@code docker push},
   * with {@code registryAuth} as the {@code X-Registry-Auth} header (null: none), telling
   * {@code progress} each status line; a refusal is an {@link EngineException} with the registry's
   * words. Interrupting the calling thread stops the push.
   */
  default void push(String reference, String registryAuth, Consumer<String> progress) {
    throw new EngineException(501, this + " cannot push images");
  }

  /**
   * True when the engine runs on this host (reached by its unix socket), so a bind mount of a
   * file here ({@link ContainerSpec#binds()}) means that same file in the container.
   */
  default boolean sharesHostFiles() {
    return false;
  }

  /**
   * Whether the engine keeps its containers running through its own restarts ({@code docker info}'s
   * {@code LiveRestoreEnabled}); empty when the engine does not say.
   */
  default Optional<Boolean> liveRestore() {
    return Optional.empty();
  }

  @Override
  void close();
}
