package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class DatasetViewTest {
    /** 50 examples of 3 values; example i holds i, i + 0.25, i + 0.5 and label i % 7, so a subset shows its rows. */
    private static Dataset indexed() {
        float[] x = new float[50 * 3];
        int[] y = new int[50];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 3; j++) x[3 * i + j] = i + 0.25f * j;
            y[i] = i % 7;
        }
        return new Dataset("indexed", Tensor.of(x, 50, 3), y, 7);
    }

    private static Dataset copyOf(Dataset d) {
        return new Dataset(d.name(), d.inputs().copy(), d.labels().clone(), d.classes());
    }

    @Test
    void aViewOfAViewReadsTheRootRowsItNames() {
        Dataset root = indexed();
        Dataset view = root.select(new int[] {5, 3, 9, 1, 40});
        Dataset viewOfView = view.select(new int[] {2, 0, 4});
        assertArrayEquals(new float[] {9, 9.25f, 9.5f, 5, 5.25f, 5.5f, 40, 40.25f, 40.5f}, viewOfView.inputs().data());
        assertArrayEquals(new int[] {2, 5, 5}, viewOfView.labels());
        assertArrayEquals(new int[] {3, 3}, viewOfView.inputShape());
        assertArrayEquals(new float[] {9, 9.25f, 9.5f, 5, 5.25f, 5.5f}, viewOfView.head(2).inputs().data());

        float[] two = new float[6];
        viewOfView.copyInputs(1, 3, two);
        assertArrayEquals(new float[] {5, 5.25f, 5.5f, 40, 40.25f, 40.5f}, two);
        viewOfView.gatherInputs(new int[] {7, 2, 1}, 1, 3, two);
        assertArrayEquals(new float[] {40, 40.25f, 40.5f, 5, 5.25f, 5.5f}, two);
    }

    @Test
    void aViewSharesItsParentsInputsInsteadOfCopyingThem() {
        Dataset root = indexed();
        Dataset view = root.head(10);
        root.inputs().data()[0] = -1;  // visible through the view: it reads the parent's array
        assertEquals(-1, view.inputs().data()[0]);
        assertSame(view.inputs(), view.inputs(), "a view gathers its inputs once");
        assertSame(root.inputs(), root.inputs());
    }

    @Test
    void aViewAndACopyGiveIdenticalBatches() {
        Dataset view = indexed().split(0.7, new Rng(3)).train().select(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 30, 31, 32, 33, 34});
        Dataset copy = copyOf(view);
        for (boolean dropLast : new boolean[] {true, false}) {
            Iterator<Dataset> a = new Batches(view, 4, new Rng(11), dropLast).iterator(), b = new Batches(copy, 4, new Rng(11), dropLast).iterator();
            int batches = 0;
            while (a.hasNext()) {
                assertTrue(b.hasNext());
                Dataset x = a.next(), y = b.next();
                assertArrayEquals(y.inputs().shape(), x.inputs().shape());
                assertArrayEquals(y.inputs().data(), x.inputs().data(), "batch " + batches);
                assertArrayEquals(y.labels(), x.labels(), "batch " + batches);
                batches++;
            }
            assertFalse(b.hasNext());
            assertEquals(dropLast ? 4 : 5, batches);
        }
    }

    @Test
    void fullBatchesReuseOneBufferAndALastPartialBatchHasItsOwnSize() {
        Dataset view = indexed().head(10);
        Iterator<Dataset> it = new Batches(view, 4, null, false).iterator();
        Dataset first = it.next();
        Tensor firstInputs = first.inputs();
        int[] firstLabels = first.labels();
        Dataset second = it.next();
        assertSame(firstInputs, second.inputs(), "full batches are gathered into one buffer");
        assertSame(firstLabels, second.labels());
        assertArrayEquals(new float[] {4, 4.25f, 4.5f, 5, 5.25f, 5.5f, 6, 6.25f, 6.5f, 7, 7.25f, 7.5f}, second.inputs().data());
        Dataset last = it.next();
        assertNotSame(firstInputs, last.inputs());
        assertArrayEquals(new int[] {2, 3}, last.inputs().shape());
        assertArrayEquals(new int[] {1, 2}, last.labels());
        assertFalse(it.hasNext());
    }

    @Test
    void anIndexOutsideTheDatasetIsAOneLineError() {
        var e = assertThrows(IllegalArgumentException.class, () -> indexed().head(5).select(new int[] {1, 5}));
        assertEquals("Dataset indexed: index 5 at position 1 outside [0,5)", e.getMessage());
    }
}
