package dev.dreamoven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;

/**
 * The package rules (docs/design.md, "Packages"): data flows one way, from the transports (cli,
 * discord) through the bot and the render queue to the dream and CLIP, with no cycle between
 * packages; only the Discord adapter uses JDA; the product never uses the lab. And one rule about
 * libtorch memory.
 */
@AnalyzeClasses(packages = "dev.dreamoven", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheDiscordAdapterUsesJda = noClasses()
            .that().resideOutsideOfPackages("dev.dreamoven.discord..", "dev.dreamoven.lab..")
            .should().dependOnClassesThat().resideInAPackage("net.dv8tion..")
            .because("the product talks to Discord only through its adapter (the lab's ack benchmark drives that "
                    + "adapter with stand-in JDA events)");

    @ArchTest
    static final ArchRule theProductNeverUsesTheLab = noClasses()
            .that().resideOutsideOfPackage("dev.dreamoven.lab..")
            .should().dependOnClassesThat().resideInAPackage("dev.dreamoven.lab..")
            .because("the product jar leaves dev/dreamoven/lab/** out");

    @ArchTest
    static final ArchRule onlyTheLabsFakeDiscordServesWebSockets = noClasses()
            .that().resideOutsideOfPackage("dev.dreamoven.lab..")
            .should().dependOnClassesThat().resideInAPackage("org.java_websocket..")
            .because("the product jar leaves Java-WebSocket out; only the lab's fake Discord uses it");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.dreamoven.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theCoreNeverUsesTheEdges = noClasses()
            .that().resideInAnyPackage("dev.dreamoven.clip..", "dev.dreamoven.dream..", "dev.dreamoven.bake..",
                    "dev.dreamoven.render..", "dev.dreamoven.store..", "dev.dreamoven.image..",
                    "dev.dreamoven.settings..", "dev.dreamoven.common..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dreamoven.bot..", "dev.dreamoven.discord..",
                    "dev.dreamoven.cli..", "dev.dreamoven.app..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule theCommandLineKnowsNeitherDiscordNorTheRoot = noClasses()
            .that().resideInAPackage("dev.dreamoven.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dreamoven.discord..", "dev.dreamoven.app..");

    @ArchTest
    static final ArchRule discordKnowsNeitherTheCommandLineNorTheRoot = noClasses()
            .that().resideInAPackage("dev.dreamoven.discord..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dreamoven.cli..", "dev.dreamoven.app..");

    @ArchTest
    static final ArchRule theBotKnowsNoTransport = noClasses()
            .that().resideInAPackage("dev.dreamoven.bot..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dreamoven.discord..", "dev.dreamoven.cli..",
                    "dev.dreamoven.app..");

    @ArchTest
    static final ArchRule imagesNeedNoTensors = noClasses()
            .that().resideInAnyPackage("dev.dreamoven.image..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
            .allowEmptyShould(true);

    /** DJL methods that wrap a number in a Java-owned tensor that autograd may read after it is freed. */
    private static final Set<String> UNSAFE_SCALAR_METHODS = Set.of("mul", "muli", "div", "divi", "pow", "powi",
            "maximum", "minimum");

    private static final DescribedPredicate<JavaCall<?>> DJL_SCALAR_ARITHMETIC =
            DescribedPredicate.describe("DJL arithmetic with a java.lang.Number (use ScalarOps)", call -> {
                JavaClass owner = call.getTargetOwner();
                boolean djlArray = owner.isAssignableTo(NDArray.class) || owner.isEquivalentTo(NDArrays.class);
                if (!djlArray) {
                    return false;
                }
                String name = call.getTarget().getName();
                List<JavaClass> params = call.getTarget().getRawParameterTypes();
                boolean numberArgument = params.stream().anyMatch(p -> p.isEquivalentTo(Number.class));
                return (UNSAFE_SCALAR_METHODS.contains(name) && numberArgument)
                        || Set.of("toDegrees", "toRadians", "cbrt", "scaleGradient").contains(name);
            });

    @ArchTest
    static final ArchRule scalarsInTensorMathAreOwnedByLibtorch = noClasses()
            .should().callCodeUnitWhere(DJL_SCALAR_ARITHMETIC)
            .because("DJL's scalar overloads build the scalar with from_blob over a Java buffer and free it "
                    + "while autograd still holds it; ScalarOps allocates it in libtorch instead");
}
