package org.normlab.jupyter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.ServiceLoader;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.RunSpec;
import org.normlab.plot.Charts;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import tech.tablesaw.api.DoubleColumn;

class NormLabExtensionTest {
    @Test
    void theKernelFindsTheExtensionThroughServiceLoader() {
        assertTrue(ServiceLoader.load(Extension.class).stream().anyMatch(p -> p.type() == NormLabExtension.class));
    }

    @Test
    void chartsBecomeRealPngImages() throws Exception {
        var chart = Charts.xy("t", "x", "y");
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        byte[] png = Base64.getDecoder().decode(NormLabExtension.png(chart));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(720 * Charts.PIXEL_DENSITY, image.getWidth());  // drawn at 2x, shown at the layout size:
        assertEquals(420 * Charts.PIXEL_DENSITY, image.getHeight());
        assertEquals(Map.of("width", 720, "height", 420), NormLabExtension.displaySize(chart));
    }

    @Test
    void tablesBecomeHtmlAndLongOnesAreCut() {
        Table small = Table.create("small", IntColumn.create("a", 1, 2));
        String html = NormLabExtension.html(small);
        assertTrue(html.startsWith("<p><b>small</b> — 2 rows × 1 columns</p>"), html);
        assertTrue(html.contains("<td>2</td>"), html);
        int[] values = new int[100];
        for (int i = 0; i < 100; i++) values[i] = i;
        String cut = NormLabExtension.html(Table.create("<big>", IntColumn.create("a", values)));
        assertTrue(cut.startsWith("<p><b>&lt;big&gt;</b> — 100 rows × 1 columns, first and last 20 shown</p>"), cut);
        assertTrue(cut.contains("<td>19</td>") && cut.contains("<td>80</td>") && !cut.contains("<td>50</td>"));
    }

    @Test
    void numbersShowWithFourSignificantDigitsButTablesKeepThem() {
        var column = DoubleColumn.create("v", 0.1, 188.0, 1.0229622255511341, 9.90582116333627e-9, Double.NaN, 2.0e8);
        Table table = Table.create("t", column);
        Table shown = NormLabExtension.forDisplay(table.copy());
        var d = shown.doubleColumn("v");
        assertEquals(List.of("0.1", "188", "1.023", "9.906e-09", "", "2.000e+08"),
                IntStream.range(0, 6).mapToObj(d::getString).toList());
        assertEquals(1.0229622255511341, table.doubleColumn("v").getDouble(2), "the original keeps full precision");
    }

    @Test
    void chartsBecomeSvgDocumentsOnlyWhenAsked() {
        var chart = Charts.xy("t", "x", "y");
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        String svg = NormLabExtension.svg(chart);
        assertTrue(svg.contains("<svg") && svg.trim().endsWith("</svg>"), svg.substring(0, Math.min(200, svg.length())));
        assertTrue(NormLabExtension.svgRequested("1") && NormLabExtension.svgRequested("true"));
        assertTrue(!NormLabExtension.svgRequested(null) && !NormLabExtension.svgRequested("") && !NormLabExtension.svgRequested("0")
                && !NormLabExtension.svgRequested("false"));
    }

    @Test
    void aRunSpecShowsAsATableOfItsSettingsNotARecordDump() {
        String html = NormLabExtension.html(RunSpec.DEFAULT.withSeed(3));
        assertTrue(html.startsWith("<table>") && html.contains("<th style=\"text-align:left\">model</th>"), html);
        assertTrue(html.contains("<th style=\"text-align:left\">seed</th><td style=\"text-align:left\">3</td>"), html);
        assertTrue(!html.contains("RunSpec[") && !html.contains("NetworkSpec["), html);
    }

    @Test
    void chartsAreTransparentSoTheyReadOnTheDarkThemeToo() throws Exception {
        var chart = Charts.xy("t", "x", "y");
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(NormLabExtension.png(chart))));
        assertTrue(image.getColorModel().hasAlpha(), "a PNG with an alpha channel");
        assertEquals(0, image.getRGB(2, 2) >>> 24, "the background is transparent, not a white box");
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                if (argb >>> 24 == 255 && Math.abs(((argb >> 16) & 0xff) - Charts.INK.getRed()) < 8
                        && Math.abs((argb & 0xff) - Charts.INK.getBlue()) < 8) ink++;
            }
        }
        assertTrue(ink > 200, "title, tick labels and axis titles drawn in the neutral ink: " + ink + " pixels");
    }

    @Test
    void chartsCarryAPlotlyFigureInsteadOfTheirPngOnlyWhenInteractiveChartsAreOn() {
        Renderer renderer = new Renderer();
        NormLabExtension.register(renderer, false);
        var chart = Charts.xy("t", "x", "y");
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, Double.NaN, 2});
        try {
            Charts.interactive(false);
            DisplayData off = renderer.render(chart);
            assertTrue(off.hasDataForType(MIMEType.IMAGE_PNG));
            assertFalse(off.hasDataForType(NormLabExtension.PLOTLY_FIGURE), "off by default: committed notebooks stay PNG-only");
            Charts.interactive(true);
            DisplayData on = renderer.render(chart);
            assertFalse(on.hasDataForType(MIMEType.IMAGE_PNG), "Plotly's renderer would show a PNG instead of the figure");
            assertEquals("application/vnd.plotly.v1+json", NormLabExtension.PLOTLY_FIGURE.toString());
            Map<?, ?> figure = (Map<?, ?>) on.getData(NormLabExtension.PLOTLY_FIGURE);
            assertEquals(Arrays.asList(3.0, null, 2.0), ((Map<?, ?>) ((List<?>) figure.get("data")).get(0)).get("y"));
            assertTrue(figure.containsKey("layout"));
        } finally {
            Charts.interactive(false);
        }
    }
}
