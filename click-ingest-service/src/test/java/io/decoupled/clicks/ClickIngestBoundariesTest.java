package io.decoupled.clicks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.web.bind.annotation.RestController;

/**
 * The package layout stays true: features do not form cycles, the producer knows nothing of clicks or HTTP, and each
 * broker is known only by its adapter of the producer port.
 */
@AnalyzeClasses(
        packages = "io.decoupled.clicks",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ClickIngestBoundariesTest {

    @ArchTest
    static final ArchRule featuresAreFreeOfCycles =
            slices().matching("io.decoupled.clicks.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theProducerIsIndependentOfTheClickFeature = noClasses()
            .that()
            .resideInAPackage("..clicks.producer..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..clicks.click..");

    @ArchTest
    static final ArchRule theProducerHasNoWebLayer = noClasses()
            .that()
            .resideInAPackage("..clicks.producer..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..");

    @ArchTest
    static final ArchRule controllersStayPackagePrivate =
            classes().that().areAnnotatedWith(RestController.class).should().notBePublic();

    /** Click ingestion knows the producer port, neither broker: the backend is a setting, not a code change. */
    @ArchTest
    static final ArchRule clickIngestionKnowsNoBroker = noClasses()
            .that()
            .resideInAPackage("..clicks.click..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon.awssdk..", "org.apache.kafka..", "org.springframework.kafka..")
            .orShould()
            .dependOnClassesThat()
            .haveSimpleName("BatchingKinesisProducer")
            .orShould()
            .dependOnClassesThat()
            .haveSimpleName("KafkaClickstreamProducer");

    @ArchTest
    static final ArchRule onlyTheKafkaAdapterTalksToKafka = noClasses()
            .that()
            .resideOutsideOfPackage("..clicks.kafka..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..");

    @ArchTest
    static final ArchRule onlyTheProducerTalksToKinesis = noClasses()
            .that()
            .resideOutsideOfPackage("..clicks.producer..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("software.amazon.awssdk.services.kinesis..");
}
