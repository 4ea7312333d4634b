package dev.taskengine.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module table of the README as rules over the compiled library (every module on this module's classpath, tests
 * excluded): the domain is pure; the driving API, the host SPI and the store SPI stand apart, and nothing outside the
 * internal package reaches into it but the engine builder; the engine never sees an adapter, adapters never see each
 * other, and JDBC lives only in adapter-jdbi.
 */
class ArchitectureTest {
    /** The engine's own packages: the driving API, the host SPI, the store SPI and the machinery. */
    private static final String[] ENGINE = {
        "dev.taskengine.api..", "dev.taskengine.spi..", "dev.taskengine.store..", "dev.taskengine.internal.."
    };

    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.taskengine");
    }

    @Test
    void theLibraryIsImported() {
        // Guards the rules below from passing vacuously on an empty import.
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.domain"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.api"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.spi"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.store"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.internal"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.adapter.memory"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.adapter.jdbi"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.adapter.http"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(library.containPackage("dev.taskengine.server"))
                .isTrue();
    }

    @Test
    void theDomainDependsOnlyOnTheJdkVavrAndHandlebars() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage("dev.taskengine.domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.taskengine.domain..",
                        "java.lang..",
                        "java.util..",
                        "java.time..",
                        "java.io..",
                        "java.nio.charset..",
                        "io.vavr..",
                        "com.github.jknack.handlebars..");
        rule.check(library);
    }

    @Test
    void theDomainNeverReadsTheClock() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.taskengine.domain..")
                .should()
                .callMethod(Instant.class, "now")
                .orShould()
                .callMethod(Clock.class, "systemUTC")
                .orShould()
                .callMethod(Clock.class, "systemDefaultZone")
                .orShould()
                .callMethod(LocalDate.class, "now")
                .orShould()
                .callMethod(LocalDateTime.class, "now")
                .orShould()
                .callMethod(OffsetDateTime.class, "now")
                .orShould()
                .callMethod(ZonedDateTime.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(System.class, "nanoTime");
        rule.check(library);
    }

    @Test
    void theDomainStartsNoThreadsAndDoesNoIo() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.taskengine.domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.file..", "java.sql..")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Thread.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(java.util.concurrent.ExecutorService.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(java.io.FileInputStream.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(java.io.FileOutputStream.class);
        rule.check(library);
    }

    @Test
    void theDomainDependsOnNoOtherPartOfTheLibrary() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.taskengine.domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.taskengine.api..",
                        "dev.taskengine.spi..",
                        "dev.taskengine.store..",
                        "dev.taskengine.internal..",
                        "dev.taskengine.adapter..",
                        "dev.taskengine.example..",
                        "dev.taskengine.server..");
        rule.check(library);
    }

    @Test
    void theEngineNeverDependsOnAnAdapterOrAHost() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(ENGINE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.taskengine.adapter..", "dev.taskengine.example..", "dev.taskengine.server..");
        rule.check(library);
    }

    @Test
    void nothingOutsideInternalDependsOnInternalButTheEngineBuilder() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("dev.taskengine.internal..")
                .and()
                .doNotHaveFullyQualifiedName("dev.taskengine.api.TaskEngineBuilder")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.taskengine.internal..");
        rule.check(library);
    }

    @Test
    void theDrivingApiNeverDependsOnTheStoreSpiButTheEngineBuilder() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.taskengine.api..")
                .and()
                .doNotHaveFullyQualifiedName("dev.taskengine.api.TaskEngineBuilder")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.taskengine.store..");
        rule.check(library);
    }

    @Test
    void theHostSpiDependsOnlyOnTheDomain() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.taskengine.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.taskengine.api..", "dev.taskengine.store..", "dev.taskengine.internal..");
        rule.check(library);
    }

    @Test
    void adaptersNeverDependOnEachOther() {
        ArchRule rule =
                slices().matching("dev.taskengine.adapter.(*)..").should().notDependOnEachOther();
        rule.allowEmptyShould(false).check(library);
    }

    @Test
    void jdbcAndJdbiAppearOnlyInTheJdbiAdapter() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("dev.taskengine.adapter.jdbi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.jdbi..", "java.sql..");
        rule.check(library);
    }

    @Test
    void onlyTheJdbiAdapterAndHostsHandleDataSources() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("dev.taskengine.adapter.jdbi..")
                .and()
                .resideOutsideOfPackage("dev.taskengine.example..")
                .and()
                .resideOutsideOfPackage("dev.taskengine.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("javax.sql..");
        rule.check(library);
    }

    @Test
    void theHttpAdapterReachesTheEngineOnlyThroughItsDrivingApiAndNeverSeesTheServerThatWiresIt() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.taskengine.adapter.http..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.taskengine.server..",
                        "dev.taskengine.example..",
                        "dev.taskengine.store..",
                        "dev.taskengine.internal..");
        rule.check(library);
    }

    @Test
    void httpAndJsonLibrariesAppearOnlyInTheHttpAdapterAndTheServer() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("dev.taskengine.adapter.http..")
                .and()
                .resideOutsideOfPackage("dev.taskengine.server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "com.fasterxml.jackson..");
        rule.check(library);
    }

    @Test
    void theEngineIsReachedThroughItsInterface() {
        ArchRule rule =
                classes().that().haveSimpleName("DefaultTaskEngine").should().notBePublic();
        rule.check(library);
    }
}
