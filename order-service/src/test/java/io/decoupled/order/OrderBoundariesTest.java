package io.decoupled.order;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/** The package-by-feature layout, kept true: which feature may use which, and nothing public by accident. */
@AnalyzeClasses(packages = "io.decoupled.order", importOptions = ImportOption.DoNotIncludeTests.class)
class OrderBoundariesTest {

    @ArchTest
    static final ArchRule featuresHaveNoCycles =
            slices().matching("io.decoupled.order.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theOutboxKnowsNoFeature = noClasses()
            .that()
            .resideInAPackage("..order.outbox..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..order.ordering..", "..order.shipment..", "..order.web..");

    @ArchTest
    static final ArchRule orderingKnowsNothingOfShipmentsOrTheWebPackage = noClasses()
            .that()
            .resideInAPackage("..order.ordering..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..order.shipment..", "..order.web..");

    @ArchTest
    static final ArchRule onlyTheOutboxTalksToSns = noClasses()
            .that()
            .resideOutsideOfPackage("..order.outbox..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("software.amazon.awssdk.services.sns..");

    @ArchTest
    static final ArchRule theWebPackageKnowsNoFeature = noClasses()
            .that()
            .resideInAPackage("..order.web..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..order.ordering..", "..order.outbox..", "..order.shipment..");

    @ArchTest
    static final ArchRule controllersRepositoriesAndListenersStayPackagePrivate = classes()
            .that()
            .areAnnotatedWith(RestController.class)
            .or()
            .areAnnotatedWith(Repository.class)
            .or()
            .haveSimpleNameEndingWith("Listener")
            .should()
            .notBePublic();
}
