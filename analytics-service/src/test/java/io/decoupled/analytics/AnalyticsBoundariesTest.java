package io.decoupled.analytics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass.Predicates;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.web.bind.annotation.RestController;

/**
 * The layout stays true: features (clicks, orders, shipments, funnel) do not depend on each other (only on the shared
 * failure handling), the KCL
 * worker knows no feature, and only the clicks feature implements the KCL's processor interface.
 */
@AnalyzeClasses(
        packages = "io.decoupled.analytics",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class AnalyticsBoundariesTest {

    @ArchTest
    static final ArchRule featuresAreIndependent = slices().matching("io.decoupled.analytics.(*)..")
            .should()
            .notDependOnEachOther()
            .ignoreDependency(DescribedPredicate.alwaysTrue(), Predicates.resideInAPackage("..analytics.failures.."));

    /** The shared failure handling is used by the features and knows none of them. */
    @ArchTest
    static final ArchRule failureHandlingKnowsNoFeature = noClasses()
            .that()
            .resideInAPackage("..analytics.failures..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..analytics.clicks..",
                    "..analytics.orders..",
                    "..analytics.shipments..",
                    "..analytics.funnel..",
                    "..analytics.kcl..");

    @ArchTest
    static final ArchRule onlyClicksProcessesStreamRecords = noClasses()
            .that()
            .resideOutsideOfPackages("..analytics.clicks..", "..analytics.kcl..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("software.amazon.kinesis..");

    @ArchTest
    static final ArchRule onlyTheClickstreamReadersKnowKafka = noClasses()
            .that()
            .resideOutsideOfPackages("..analytics.clicks..", "..analytics.kafka..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..");

    /** The click effect is the port both readers call: it knows neither broker, so both count and set aside alike. */
    @ArchTest
    static final ArchRule theClickEffectKnowsNoBroker = noClasses()
            .that()
            .haveSimpleNameStartingWith("ClickBatches")
            .or()
            .haveSimpleNameStartingWith("ClickAggregates")
            .or()
            .haveSimpleNameStartingWith("ClickstreamRecord")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon.kinesis..", "org.apache.kafka..", "org.springframework.kafka..");

    @ArchTest
    static final ArchRule controllersStayPackagePrivate =
            classes().that().areAnnotatedWith(RestController.class).should().notBePublic();

    @ArchTest
    static final ArchRule listenersStayPackagePrivate = classes()
            .that()
            .resideInAnyPackage("..orders..", "..shipments..", "..clicks..", "..funnel..")
            .should()
            .notBePublic();
}
