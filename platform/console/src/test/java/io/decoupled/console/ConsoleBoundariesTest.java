package io.decoupled.console;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.web.bind.annotation.RestController;

/** The console's package layout: sources know nothing of the dashboard, only the launcher starts processes. */
@AnalyzeClasses(
        packages = "io.decoupled.console",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ConsoleBoundariesTest {

    @ArchTest
    static final ArchRule featurePackagesHaveNoCycles =
            slices().matching("io.decoupled.console.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule sourcesDoNotKnowTheDashboard = noClasses()
            .that()
            .resideInAnyPackage(
                    "..console.queues..",
                    "..console.stream..",
                    "..console.services..",
                    "..console.load..",
                    "..console.panel..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..console.dashboard..", "..console.launcher..");

    @ArchTest
    static final ArchRule onlyTheLauncherUsesTheEmbeddedEmulators = noClasses()
            .that()
            .resideOutsideOfPackage("..console.launcher..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.decoupled.localaws..");

    /** The demo's processes (services, the system under the supervisor) are the launcher's to start, stop and kill. */
    @ArchTest
    static final ArchRule onlyTheLauncherStartsChildProcesses = noClasses()
            .that()
            .resideOutsideOfPackage("..console.launcher..")
            .should()
            .dependOnClassesThat(
                    resideInAPackage("io.decoupled.childprocess..").or(equivalentTo(ProcessBuilder.class)));

    @ArchTest
    static final ArchRule theServicePanelsTalkHttpNotAws = noClasses()
            .that()
            .resideInAPackage("..console.services..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("software.amazon.awssdk..");

    @ArchTest
    static final ArchRule nothingButTheEntryPointReachesTheLauncherOrTheProvisioner = noClasses()
            .that()
            .resideOutsideOfPackages("..console.launcher..", "..console.provision..", "..console.modes..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..console.launcher..", "..console.provision..");

    /** The Spring application in the root package is started by the launcher, so it must know no feature of its own. */
    @ArchTest
    static final ArchRule theApplicationKnowsNoFeature = noClasses()
            .that()
            .resideInAPackage("io.decoupled.console")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.decoupled.console.*..");

    @ArchTest
    static final ArchRule onlyTheEntryPointKnowsTheModes = noClasses()
            .that()
            .resideOutsideOfPackage("..console.modes..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..console.modes..");

    @ArchTest
    static final ArchRule theDashboardApiIsTheOnlyController =
            classes().that().areAnnotatedWith(RestController.class).should().resideInAPackage("..console.dashboard..");
}
