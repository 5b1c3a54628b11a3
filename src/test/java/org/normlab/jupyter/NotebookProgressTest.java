package org.normlab.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NotebookProgressTest {
    @Test
    void theLiveCurveHasOnePointPerLogAndFollowsThePageColour() {
        assertEquals("", NotebookProgress.sparkline(List.of(2.3)), "one point is no curve");
        String svg = NotebookProgress.sparkline(List.of(2.3, 1.1, 0.7, 0.5));
        assertTrue(svg.contains("stroke=\"currentColor\""), "readable in the light and the dark theme: " + svg);
        Matcher m = Pattern.compile("points=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find(), svg);
        String[] points = m.group(1).split(" ");
        assertEquals(4, points.length, svg);
        assertEquals("0.0,1.0", points[0], "the highest loss at the top left");
        assertEquals("120.0,17.0", points[3], "the lowest at the bottom right");
    }
}
