package io.berth.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Holds the line STYLE.md draws: core does no I/O, starts no threads and never reads the clock. */
class CoreIsPureTest {
  private final JavaClasses core = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.berth.core");

  @Test
  void coreDoesNoIoAndStartsNoThreads() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("java.net..", "java.nio.file..", "java.io..", "java.sql..", "java.util.concurrent..")
        .allowEmptyShould(true)
        .check(core);
  }

  @Test
  void coreNeverReadsTheClock() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .check(core);
  }
}
