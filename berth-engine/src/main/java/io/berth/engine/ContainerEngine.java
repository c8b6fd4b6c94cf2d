package io.berth.engine;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** Lists the images present, by their repo:tag names. */
  List<ImageSummary> listImages();

  /** True when an image with this reference (repo:tag or id) is present. */
  boolean hasImage(String reference);

  /** Imports a root filesystem tarball as image {@code repository:tag} (as {@code docker import}). */
  void importImage(InputStream rootfsTar, String repository, String tag);

  @Override
  void close();
}
