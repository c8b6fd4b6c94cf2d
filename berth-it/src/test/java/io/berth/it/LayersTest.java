package io.berth.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Holds the layering of docs/architecture.md: dependencies point inward, and agents never touch the store. */
class LayersTest {
  private static final JavaClasses BERTH = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.berth");

  @Test
  void agentsNeverOpenTheStoreNorCallManagerCode() {
    noClasses().that().resideInAPackage("io.berth.agent..")
        .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.manager..")
        .check(BERTH);
  }

  @Test
  void coreDependsOnNoOtherBerthModule() {
    noClasses().that().resideInAPackage("io.berth.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.engine..", "io.berth.cluster..",
            "io.berth.manager..", "io.berth.agent..", "io.berth.router..", "io.berth.cli..")
        .check(BERTH);
  }

  @Test
  void storeEngineAndClusterDependOnlyOnCore() {
    noClasses().that().resideInAnyPackage("io.berth.store..", "io.berth.engine..", "io.berth.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage("io.berth.manager..", "io.berth.agent..", "io.berth.router..", "io.berth.cli..")
        .check(BERTH);
  }

  @Test
  void routersTalkToTheManagerOnlyOverItsApi() {
    noClasses().that().resideInAPackage("io.berth.router..")
        .should().dependOnClassesThat().resideInAnyPackage("io.berth.store..", "io.berth.engine..", "io.berth.manager..", "io.berth.agent..")
        .check(BERTH);
  }

  @Test
  void onlyTheCliWiresEverything() {
    noClasses().that().resideOutsideOfPackage("io.berth.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.berth.cli..")
        .check(BERTH);
  }

  @Test
  void theDockerEndpointReachesNoLrpAppOrConsoleCode() {
    noClasses().that().resideInAPackage("io.berth.manager.docker..")
        .should().dependOnClassesThat().resideInAnyPackage("io.berth.manager.lrp..", "io.berth.manager.app..", "io.berth.manager.console..")
        .check(BERTH);
  }

  @Test
  void nothingButTheWiringReachesIntoTheDockerEndpoint() {
    noClasses().that().resideOutsideOfPackages("io.berth.manager.docker..", "io.berth.cli..")
        .and().doNotHaveFullyQualifiedName("io.berth.manager.Manager")
        .and().doNotHaveFullyQualifiedName("io.berth.manager.ManagerEndpoints") // the Manager's endpoints, moved out of it
        .should().dependOnClassesThat().resideInAPackage("io.berth.manager.docker..")
        .check(BERTH);
  }

  @Test
  void theFleetKnowsEnginesAndNodesOnly() {
    noClasses().that().resideInAPackage("io.berth.manager.fleet..")
        .should().dependOnClassesThat().resideInAnyPackage("io.berth.manager.docker..", "io.berth.manager.lrp..",
            "io.berth.manager.app..", "io.berth.manager.console..")
        .check(BERTH);
  }

  @Test
  void lrpAppAndConsoleLearnEngineFactsFromTheFleetNotFromEachOther() {
    noClasses().that().resideInAPackage("io.berth.manager.lrp..")
        .should().dependOnClassesThat().resideInAnyPackage("io.berth.manager.app..", "io.berth.manager.console..")
        .check(BERTH);
    noClasses().that().resideInAnyPackage("io.berth.manager.app..", "io.berth.manager.console..")
        .should().dependOnClassesThat().resideInAPackage("io.berth.manager.docker..")
        .check(BERTH);
  }
}
