package io.decoupled.shipping;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URI;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;

/** The package layout stays what the docs say: features, not layers, with the generic parts kept generic. */
@AnalyzeClasses(
        packages = "io.decoupled.shipping",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ShippingBoundariesTest {

    @ArchTest
    static final ArchRule featurePackagesHaveNoCycles =
            slices().matching("io.decoupled.shipping.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theConsumerKnowsNothingAboutShipments = noClasses()
            .that()
            .resideInAPackage("..consumer..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..shipment..", "..outbox..", "..redrive..", "..autoscaling..", "..carrier..");

    @ArchTest
    static final ArchRule theOutboxKnowsNothingAboutWhatItPublishes = noClasses()
            .that()
            .resideInAPackage("..outbox..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..shipment..", "..consumer..", "..redrive..", "..autoscaling..");

    @ArchTest
    static final ArchRule theAutoscalerOnlyTalksToTheConsumer = noClasses()
            .that()
            .resideInAPackage("..autoscaling..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..shipment..", "..outbox..", "..redrive..", "..carrier..");

    @ArchTest
    static final ArchRule onlyTheShipmentFeatureUsesTheDatabaseForShipments = noClasses()
            .that()
            .resideOutsideOfPackages("..shipment..", "..outbox..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.jdbc..");

    @ArchTest
    static final ArchRule noLayerPackages =
            noClasses().should().resideInAnyPackage("..controller..", "..service..", "..repository..", "..dto..");

    @ArchTest
    static final ArchRule awsEndpointsAreNeverConfiguredInCode =
            noClasses().should().callMethod(SdkClientBuilder.class, "endpointOverride", URI.class);

    @ArchTest
    static final ArchRule repositoriesStayPackagePrivate =
            classes().that().haveSimpleNameEndingWith("Repository").should().notBePublic();
}
