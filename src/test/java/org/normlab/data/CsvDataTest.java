package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.tensor.Rng;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class CsvDataTest {
    @TempDir Path tmp;

    private Path csv(String text) throws IOException {
        Path p = tmp.resolve("data.csv");
        Files.writeString(p, text);
        return p;
    }

    private String error(Path file, String label) {
        return assertThrows(IllegalArgumentException.class, () -> CsvData.read(file, label)).getMessage();
    }

    @Test
    void readsFeaturesInColumnOrderAndLabels() throws IOException {
        Dataset d = CsvData.read(csv("a,label,b\n1.5,0,2\n-3,2,4.25\n0,1,0\n"), "label");
        assertEquals("data.csv", d.name());
        assertArrayEquals(new int[] {3, 2}, d.inputs().shape());
        assertArrayEquals(new float[] {1.5f, 2, -3, 4.25f, 0, 0}, d.inputs().data());
        assertArrayEquals(new int[] {0, 2, 1}, d.labels());
        assertEquals(3, d.classes());
    }

    @Test
    void chosenFeatureColumnsOnly() throws IOException {
        Dataset d = CsvData.read(csv("id,a,b,y\nr1,1,2,0\nr2,3,4,1\n"), "y", List.of("b", "a"));
        assertArrayEquals(new float[] {2, 1, 4, 3}, d.inputs().data());
    }

    @Test
    void theShippedExampleIsThreeBalancedClassesOfFourFeatures() {
        Dataset d = CsvData.read(Path.of("docs/examples/three-blobs.csv"), "label");
        assertArrayEquals(new int[] {300, 4}, d.inputs().shape());
        assertEquals(3, d.classes());
        int[] counts = new int[3];
        for (int y : d.labels()) counts[y]++;
        assertArrayEquals(new int[] {100, 100, 100}, counts);
    }

    @Test
    void aMissingLabelColumnIsNamedWithTheColumnsThereAre() throws IOException {
        Path f = csv("a,b\n1,0\n2,1\n");
        assertEquals("CSV " + f + ": no label column 'label'; the columns are [a, b]", error(f, "label"));
        assertEquals("CSV " + f + ": no feature column 'c'; the columns are [a, b]",
                assertThrows(IllegalArgumentException.class, () -> CsvData.read(f, "b", List.of("c"))).getMessage());
    }

    @Test
    void aNonNumericValueIsNamedByColumnAndRow() throws IOException {
        Path f = csv("a,b,label\n1,2,0\n3,x,1\n");
        assertEquals("CSV " + f + ": column 'b', row 3: expected a number, got 'x'", error(f, "label"));
        Path empty = csv("a,b,label\n1,2,0\n3,,1\n");
        assertEquals("CSV " + empty + ": column 'b', row 3: expected a finite number, got an empty cell", error(empty, "label"));
    }

    @Test
    void labelsMustBeClassNumbersFromZeroEachPresent() throws IOException {
        Path oneBased = csv("a,label\n1,1\n2,2\n3,3\n");
        assertEquals("CSV " + oneBased + ": label column 'label': expected classes 0 … K−1 (K ≥ 2), each present, got [1, 2, 3]", error(oneBased, "label"));
        Path fractional = csv("a,label\n1,0\n2,1.5\n");
        assertEquals("CSV " + fractional + ": label column 'label', row 3: expected a class number 0, 1, 2, …, got 1.5", error(fractional, "label"));
        Path negative = csv("a,label\n1,0\n2,-1\n");
        assertEquals("CSV " + negative + ": label column 'label', row 3: expected a class number 0, 1, 2, …, got -1", error(negative, "label"));
        Path words = csv("a,label\n1,cat\n2,dog\n");
        assertEquals("CSV " + words + ": column 'label', row 2: expected a number, got 'cat'", error(words, "label"));
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = tmp.resolve("nope.csv");
        assertEquals("CSV " + f + ": no such file", error(f, "label"));
    }

    @Test
    void aTablesawTableIsADatasetToo() {
        Table t = Table.create("mine", DoubleColumn.create("x", 0.5, 1.5, 2.5), IntColumn.create("y", 1, 0, 1));
        Dataset d = CsvData.fromTable(t, "y", List.of("x"));
        assertEquals("mine", d.name());
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, d.inputs().data());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
    }

    @Test
    void aSplitPartitionsTheExamples() {
        Dataset d = CsvData.read(Path.of("docs/examples/three-blobs.csv"), "label");
        Dataset.Split s = d.split(0.8, new Rng(1));
        assertEquals(240, s.train().size());
        assertEquals(60, s.test().size());
        double sum = 0, parts = 0;
        for (float v : d.inputs().data()) sum += v;
        for (float v : s.train().inputs().data()) parts += v;
        for (float v : s.test().inputs().data()) parts += v;
        assertEquals(sum, parts, 1e-6 * Math.abs(sum) + 1e-6);
        assertThrows(IllegalArgumentException.class, () -> d.split(1.0, new Rng(1)));
    }
}
