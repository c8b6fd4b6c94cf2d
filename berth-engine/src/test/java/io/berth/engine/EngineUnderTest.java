package io.berth.engine;

import java.util.List;
import java.util.Map;

/**
 * What the topic contracts ask of {@link ContainerEngineContract}: the engine under test and this
 * run's labelled containers.
 */
interface EngineUnderTest {
  String IMAGE = BusyboxImage.REFERENCE;

  /** The engine under test, as set before each test. */
  ContainerEngine subject();

  /** This run's id: the {@code berth.test} label of every container a test makes. */
  String run();

  /** A container name unique to this test run. */
  String name(String base);

  /** A spec labelled with this run's id, so the contract removes its container after the test. */
  ContainerSpec spec(String base, List<String> cmd, Map<String, String> labels, Map<String, Integer> ports, String hostIp);

  /** The ids of the containers that carry all of {@code labels}. */
  List<String> ids(Map<String, String> labels);

  /** An address the engine can publish ports on (a loopback address for a local dockerd). */
  String hostAddress();

  /** A host port free on {@link #hostAddress()}. */
  int hostPort();
}
