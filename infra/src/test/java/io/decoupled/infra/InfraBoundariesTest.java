package io.decoupled.infra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The stacks depend on each other in one direction only, the direction CloudFormation deploys them. */
@AnalyzeClasses(packages = "io.decoupled.infra", importOptions = ImportOption.DoNotIncludeTests.class)
class InfraBoundariesTest {

    @ArchTest
    static final ArchRule stackPackagesHaveNoCycles =
            slices().matching("io.decoupled.infra.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule networkAndMessagingStandAlone = noClasses()
            .that()
            .resideInAnyPackage("..infra.network..", "..infra.messaging..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..infra.data..", "..infra.compute..", "..infra.scaling..", "..infra.observability..");

    @ArchTest
    static final ArchRule dataKnowsOnlyTheNetwork = noClasses()
            .that()
            .resideInAPackage("..infra.data..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..infra.messaging..", "..infra.compute..", "..infra.scaling..", "..infra.observability..");

    @ArchTest
    static final ArchRule computeKnowsNothingOfScalingOrAlarms = noClasses()
            .that()
            .resideInAPackage("..infra.compute..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..infra.scaling..", "..infra.observability..");

    @ArchTest
    static final ArchRule nothingButTheAppDependsOnObservability = noClasses()
            .that()
            .resideOutsideOfPackage("..infra.observability..")
            .and()
            .doNotHaveSimpleName("DecoupledSystem")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..infra.observability..");

    @ArchTest
    static final ArchRule noServiceOrEmulatorCodeInTheInfrastructure = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.decoupled.localaws..", "io.decoupled.topology.provision..", "software.amazon.awssdk..");
}
