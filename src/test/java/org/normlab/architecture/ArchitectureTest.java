package org.normlab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout of docs/design.md, enforced: each package uses only the packages listed before it in
 * {@link #LAYERS}, and no two packages (sub-packages counted apart) depend on each other in a cycle.
 */
class ArchitectureTest {
    /** Bottom first. A layer may use the layers before it, never one after it. */
    static final List<String> LAYERS = List.of(
            "tensor", "kernels", "nn", "norm", "model", "optim", "data", "train", "diagnostics", "plot",
            "experiment", "studies", "facade", "jupyter", "cli");

    static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.normlab");
    }

    /**
     * A layer per entry of {@link #LAYERS}, each accessed only by the later ones; {@code alsoNorm} adds package
     * patterns to the norm layer (for the test that shows the rule can fail).
     */
    static ArchRule layerRule(String... alsoNorm) {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            List<String> packages = new ArrayList<>(List.of(layer.equals("facade")
                    ? "org.normlab"                                  // the root package alone (NormLab.about())
                    : "org.normlab." + layer + ".."));
            if (layer.equals("norm")) packages.addAll(List.of(alsoNorm));
            rule = rule.layer(layer).definedBy(packages.toArray(String[]::new));
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            rule = rule.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(
                    LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new));
        }
        return rule.whereLayer(LAYERS.get(LAYERS.size() - 1)).mayNotBeAccessedByAnyLayer()
                .allowEmptyShould(true);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        layerRule().check(mainClasses);
    }

    /**
     * The rule can fail: with a test fixture that calls a study counted as part of {@code norm}, the same rule
     * reports that class.
     */
    @Test
    void aNormClassThatUsesAStudyIsRejected() {
        JavaClasses withFixture = new ClassFileImporter()
                .withImportOption(location -> !location.contains("/test-classes/") || location.contains("/architecture/fixture/"))
                .importPackages("org.normlab");
        AssertionError failure = assertThrows(AssertionError.class,
                () -> layerRule("org.normlab.architecture.fixture..").check(withFixture));
        assertTrue(failure.getMessage().contains("NormThatUsesAStudy"), failure.getMessage());
    }

    /**
     * The default jar carries no Spark (issue #15): no NormLab class refers to one, and the default build's class path
     * has none. The Spark engine is the module spark/, found at run time by ServiceLoader (Engine.named).
     */
    @Test
    void theDefaultBuildNeitherUsesNorCarriesSpark() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.spark..").allowEmptyShould(true).check(mainClasses);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.SparkContext"),
                "Spark is on the default class path: keep it in spark/pom.xml");
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.normlab.(**)").should().beFreeOfCycles().check(mainClasses);
    }

    @Test
    void everyClassLivesInALayer() {
        List<String> outside = mainClasses.stream()
                .map(JavaClass::getPackageName)
                .filter(p -> !p.equals("org.normlab"))
                .filter(p -> LAYERS.stream().noneMatch(l -> p.equals("org.normlab." + l) || p.startsWith("org.normlab." + l + ".")))
                .distinct().sorted().toList();
        if (!outside.isEmpty()) throw new AssertionError("packages outside the layers of ArchitectureTest.LAYERS: " + outside);
    }

    /** Every package says what it holds and what it may use, in a package-info.java. */
    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        Path sources = Path.of("src/main/java/org/normlab");
        try (Stream<Path> dirs = Files.walk(sources)) {
            List<Path> missing = dirs.filter(Files::isDirectory)
                    .filter(d -> hasJava(d) && !Files.exists(d.resolve("package-info.java")))
                    .toList();
            if (!missing.isEmpty()) throw new AssertionError("packages without package-info.java: " + missing);
        }
    }

    /**
     * The four layers read as their equations (issue #9): the memory order, threads and kernel arguments live in
     * {@code kernels}, so each file stays within one screenful of 150 lines.
     */
    @Test
    void theNormalizationLayersStayWithin150Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (String layer : List.of("BatchNorm", "LayerNorm", "GroupNorm", "InstanceNorm")) {
            long lines = Files.readAllLines(Path.of("src/main/java/org/normlab/norm/" + layer + ".java")).size();
            if (lines > 150) tooLong.add(layer + ".java: " + lines + " lines");
        }
        if (!tooLong.isEmpty()) throw new AssertionError("expected at most 150 lines per normalization layer, got " + tooLong);
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
