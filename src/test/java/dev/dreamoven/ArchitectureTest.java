package dev.dreamoven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package rules of the brief: Discord depends on the core, never the reverse. */
@AnalyzeClasses(packages = "dev.dreamoven", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheDiscordAdapterUsesJda = noClasses()
            .that().resideOutsideOfPackage("dev.dreamoven.discord..")
            .and().doNotHaveFullyQualifiedName("dev.dreamoven.App")
            .should().dependOnClassesThat().resideInAPackage("net.dv8tion..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule theCoreNeverUsesTheEdges = noClasses()
            .that().resideInAnyPackage("dev.dreamoven.clip..", "dev.dreamoven.dream..", "dev.dreamoven.bake..",
                    "dev.dreamoven.render..", "dev.dreamoven.store..", "dev.dreamoven.image..",
                    "dev.dreamoven.toyworld..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dreamoven.discord..", "dev.dreamoven.cli..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule imagesAndTheToyWorldNeedNoTensors = noClasses()
            .that().resideInAnyPackage("dev.dreamoven.image..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
            .allowEmptyShould(true);
}
