package io.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ContainerEngine} backed by a real Docker engine through docker-java, at
 * {@code unix:///path/docker.sock} or {@code tcp://host:port}.
 *
 * <p>It holds two clients: a quick one (short response timeout) for reads and pings, so an engine
 * that hangs is noticed in seconds, and a patient one for calls that legitimately take long
 * (stop waits for the container's grace period, import streams a whole filesystem). Creating a
 * {@code DockerEngine} never contacts the engine.
 */
public final class DockerEngine implements ContainerEngine {
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration QUICK_TIMEOUT = Duration.ofSeconds(15);
  static final Duration PATIENT_TIMEOUT = Duration.ofMinutes(5);

  private final URI url;
  private final DockerErrors errors;
  private final DockerHttpClient patientHttp;
  private final DockerHttpClient quickHttp;
  private final DockerClient quick;
  private final DockerClient patient;
  private final DockerClient streaming;
  private final DockerImageTransfer images;
  private final DockerImageBuild builds;
  private final DockerListing listing;

  /** An engine at {@code url}: {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}. */
  public DockerEngine(String url) {
    this(URI.create(url));
  }

  /** An engine at {@code url}: {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}. */
  public DockerEngine(URI url) {
    this(url, QUICK_TIMEOUT, PATIENT_TIMEOUT);
  }

  DockerEngine(URI url, Duration quickTimeout, Duration patientTimeout) {
    String scheme = String.valueOf(url.getScheme());
    boolean unix = scheme.equals("unix") && url.getPath() != null && !url.getPath().isEmpty();
    boolean tcp = scheme.equals("tcp") && url.getHost() != null && url.getPort() > 0;
    if (!unix && !tcp) {
      throw new IllegalArgumentException("unsupported Docker engine URL '" + url
          + "': use unix:///path/to/docker.sock or tcp://host:port");
    }
    this.url = url;
    this.errors = new DockerErrors(url);
    this.quickHttp = http(quickTimeout);
    this.patientHttp = http(patientTimeout);
    var config = new DefaultDockerClientConfig.Builder()
        .withDockerHost(url.toString()).withDockerTlsVerify(false).build();
    this.quick = DockerClientImpl.getInstance(config, quickHttp);
    this.patient = DockerClientImpl.getInstance(config, patientHttp);
    DockerHttpClient streamingHttp = http(Duration.ZERO); // events: idle for hours; a build step: silent for minutes
    this.streaming = DockerClientImpl.getInstance(config, streamingHttp);
    this.images = new DockerImageTransfer(patientHttp, errors, url);
    this.builds = new DockerImageBuild(streamingHttp, errors);
    this.listing = new DockerListing(quickHttp, errors);
  }

  private DockerHttpClient http(Duration responseTimeout) {
    return new ApacheDockerHttpClient.Builder().dockerHost(url)
        .connectionTimeout(CONNECT_TIMEOUT).responseTimeout(responseTimeout).build();
  }

  /** The URL this engine was opened with. */
  public URI url() {
    return url;
  }

  /** Any answer but OK means no engine here (a proxy or another server may answer a tcp URL). */
  @Override
  public void ping() {
    try {
      run(() -> quick.pingCmd().exec());
    } catch (EngineException e) {
      if (e.status() == 503) throw e;
      throw new EngineException(503, "cannot reach the Docker engine at " + url
          + ": GET /_ping answered " + e.status() + " " + e.getMessage(), e);
    }
  }

  @Override
  public EngineInfo info() {
    return call(() -> DockerModels.info(quick.infoCmd().exec(), quick.versionCmd().exec()));
  }

  @Override
  public List<ContainerSummary> listContainers(boolean all, Map<String, String> labels) {
    return listing.list(all, labels);
  }

  @Override
  public Optional<ContainerDetails> inspect(String idOrName) {
    try {
      return Optional.of(call(() -> DockerModels.details(quick.inspectContainerCmd(idOrName).exec())));
    } catch (EngineException e) {
      if (e.status() == 404) return Optional.empty();
      throw e;
    }
  }

  @Override
  public String create(ContainerSpec spec) {
    return call(() -> DockerModels.fill(patient.createContainerCmd(spec.image()), spec).exec().getId());
  }

  @Override
  public void start(String id) {
    try {
      run(() -> patient.startContainerCmd(id).exec());
    } catch (EngineException e) {
      if (e.status() != 304) throw e; // 304: already running, which is what the caller wants
    }
  }

  @Override
  public void stop(String id, int timeoutSeconds) {
    try {
      run(() -> patient.stopContainerCmd(id).withTimeout(timeoutSeconds).exec());
    } catch (EngineException e) {
      if (e.status() != 304) throw e; // 304: already stopped
    }
  }

  @Override
  public void remove(String id, boolean force) {
    run(() -> patient.removeContainerCmd(id).withForce(force).exec());
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout) {
    return new DockerExec(quick, patient, errors).run(id, cmd, timeout);
  }

  @Override
  public void putArchive(String id, String path, InputStream tar) {
    run(() -> patient.copyArchiveToContainerCmd(id).withRemotePath(path).withTarInputStream(tar).exec());
  }

  @Override
  public byte[] getArchive(String id, String path) {
    return call(() -> {
      try (InputStream in = patient.copyArchiveFromContainerCmd(id, path).exec()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw errors.unreachable(e);
      }
    });
  }

  @Override
  public InputStream openArchive(String id, String path) {
    return call(() -> patient.copyArchiveFromContainerCmd(id, path).exec());
  }

  /**
   * One {@code GET /events?filters={"type":["container"]}} stream, reopened after it breaks
   * ({@link DockerEvents}).
   */
  @Override
  public AutoCloseable events(Consumer<ContainerEvent> listener) {
    return DockerEvents.open(streaming, url, listener);
  }

  /**
   * {@code GET /containers/{id}/stats?stream=false&one-shot=true} (API 1.41): one reading, without
   * the engine's second sample a second later ({@code precpu_stats} stays empty), so rates are the
   * caller's, from two readings. 404 or a stopped container (no {@code pids_stats}) is empty.
   */
  @Override
  public Optional<ContainerStats> stats(String id) {
    return getJson("/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/stats?stream=false&one-shot=true")
        .flatMap(DockerStats::parse);
  }

  /** {@code GET /info}'s {@code LiveRestoreEnabled}, which docker-java's {@code Info} does not carry. */
  @Override
  public Optional<Boolean> liveRestore() {
    return getJson("/info").map(i -> i.path("LiveRestoreEnabled")).filter(JsonNode::isBoolean).map(JsonNode::booleanValue);
  }

  /** A GET on the quick client: the answer's JSON, empty on 404. */
  private Optional<JsonNode> getJson(String path) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build();
    try (var response = call(() -> quickHttp.execute(request)); InputStream body = response.getBody()) {
      byte[] bytes = body.readAllBytes();
      if (response.getStatusCode() == 404) return Optional.empty();
      if (response.getStatusCode() != 200) throw DockerErrors.answered(response.getStatusCode(), new String(bytes, StandardCharsets.UTF_8));
      return Optional.of(DockerErrors.JSON.readTree(bytes));
    } catch (IOException e) {
      throw errors.unreachable(e);
    }
  }

  @Override
  public List<ImageSummary> listImages() {
    return call(() -> quick.listImagesCmd().exec().stream().map(DockerModels::image).toList());
  }

  @Override
  public boolean hasImage(String reference) {
    try {
      quick.inspectImageCmd(reference).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw errors.map(e);
    }
  }

  /** Streams the tar to {@code POST /images/create?fromSrc=-} ({@link DockerImageTransfer}). */
  @Override
  public void importImage(InputStream rootfsTar, String repository, String tag) {
    images.importImage(rootfsTar, repository, tag);
  }

  /** {@code POST /images/create?fromImage=…&tag=…}, as {@code docker pull}. */
  @Override
  public void pull(String reference, Consumer<String> progress) {
    images.pull(reference, null, progress);
  }

  /** The same with {@code X-Registry-Auth}, as {@code docker pull} after {@code docker login}. */
  @Override
  public void pull(String reference, String registryAuth, Consumer<String> progress) {
    images.pull(reference, registryAuth, progress);
  }

  @Override
  public void build(InputStream context, String dockerfile, List<String> tags, boolean noCache, Consumer<String> progress) {
    builds.build(context, dockerfile, tags, noCache, progress);
  }

  @Override
  public void push(String reference, String registryAuth, Consumer<String> progress) {
    builds.push(reference, registryAuth, progress);
  }

  @Override
  public boolean sharesHostFiles() {
    return "unix".equals(url.getScheme());
  }

  @Override
  public void close() {
    try {
      quick.close();
      quickHttp.close();
      patient.close();
      streaming.close();
    } catch (IOException e) {
      log.debug("engine-close-failed url={}", url, e);
    }
  }

  @Override
  public String toString() {
    return "DockerEngine[" + url + "]";
  }

  private <T> T call(Supplier<T> body) {
    return errors.call(body);
  }

  private void run(Runnable body) {
    call(() -> {
      body.run();
      return null;
    });
  }
}
