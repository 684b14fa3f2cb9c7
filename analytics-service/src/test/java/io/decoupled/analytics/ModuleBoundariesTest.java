package io.decoupled.analytics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layout stays true: features (clicks, orders, shipments, funnel) do not depend on each other, the KCL
 * worker knows no feature, and only the clicks feature implements the KCL's processor interface.
 */
@AnalyzeClasses(packages = "io.decoupled.analytics", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ModuleBoundariesTest {

    @ArchTest
    static final ArchRule featuresAreIndependent = slices().matching("io.decoupled.analytics.(*)..").should().notDependOnEachOther();

    @ArchTest
    static final ArchRule onlyClicksProcessesStreamRecords = noClasses().that().resideOutsideOfPackages("..analytics.clicks..", "..analytics.kcl..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon.kinesis..");

    @ArchTest
    static final ArchRule controllersStayPackagePrivate = classes().that()
            .areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class).should().notBePublic();

    @ArchTest
    static final ArchRule listenersStayPackagePrivate = classes().that().resideInAnyPackage("..orders..", "..shipments..", "..clicks..", "..funnel..")
            .should().notBePublic();
}
