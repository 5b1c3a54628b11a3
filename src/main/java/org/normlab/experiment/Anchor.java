package org.normlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A published result set beside ours: the paper's figure and numbers (a citation, as the paper states them), our
 * numbers from the study's runs, and whether the <em>shape</em> matches, judged by features declared with the
 * anchor, each a property of the published result (e.g. "BN's error rises as the batch shrinks") computed on ours
 * with a stated threshold. Shape is {@link Shape#YES} when every feature holds, {@link Shape#PARTLY} when some do,
 * {@link Shape#NO} when none does: computed, never typed. Our models are small CPU models, so the numbers are not
 * expected to match, only the shape.
 *
 * <p>Every anchor says what was tried to reproduce it ({@code tried}: the design, as built), and every feature how our
 * set-up differs from the published one in ways that bear on it ({@link Feature#differs}). A notebook shows the
 * difference beside each feature that does not hold, so a shape not matched comes with what was tried and the known
 * reasons it may not reproduce here; which of them is the reason is not claimed.
 *
 * @param claim    the claim it anchors, e.g. "C8"
 * @param source   the publication and figure, e.g. "Wu & He 2018, Fig. 1"
 * @param published the published numbers, as the paper gives them
 * @param tried    what our study does to reproduce it: network, data, budget, the statistic
 * @param features the shape's features, each with our number and whether it holds
 */
public record Anchor(String claim, String source, String published, String tried, List<Feature> features) {
    /** What a notebook carries an anchor as, beside its HTML: `make report` and the README's anchors table read it. */
    public static final String MIME_TYPE = "application/vnd.normlab.anchor+json";

    public enum Shape { YES, PARTLY, NO }

    /**
     * One property of the published result checked on ours.
     *
     * @param rule  the property with its threshold, e.g. "BN's error at batch 2 − at batch 32 ≥ 3 points"
     * @param ours  our number(s) behind it, e.g. "BN 14.2% → 19.0%"
     * @param holds whether it holds on our runs
     * @param differs how our set-up differs from the published one in ways that bear on this feature (shown when it
     *                does not hold)
     */
    public record Feature(String rule, String ours, boolean holds, String differs) {
        public Feature {
            if (differs == null || differs.isBlank())
                throw new IllegalArgumentException("Anchor feature \"" + rule + "\": needs how our set-up differs from the published one, got none");
        }
    }

    public Anchor {
        if (tried == null || tried.isBlank()) throw new IllegalArgumentException("Anchor " + claim + " (" + source + "): needs what was tried to reproduce it, got none");
        if (features.isEmpty()) throw new IllegalArgumentException("Anchor " + claim + " (" + source + "): needs at least one feature to judge its shape, got none");
        features = List.copyOf(features);
    }

    /** An anchor with no features yet, and what the study does to reproduce it; add the features with {@link Builder#feature}. */
    public static Builder of(String claim, String source, String published, String tried) { return new Builder(claim, source, published, tried); }

    /** Collects an anchor's features in order. */
    public static final class Builder {
        private final String claim, source, published, tried;
        private final List<Feature> features = new ArrayList<>();

        private Builder(String claim, String source, String published, String tried) {
            this.claim = claim;
            this.source = source;
            this.published = published;
            this.tried = tried;
        }

        /**
         * A feature of the published shape, its threshold in {@code rule}, whether {@code ours} meets it, and how our
         * set-up differs from the paper's in ways that bear on it.
         */
        public Builder feature(String rule, String ours, boolean holds, String differs) {
            features.add(new Feature(rule, ours, holds, differs));
            return this;
        }

        public Anchor build() { return new Anchor(claim, source, published, tried, features); }
    }

    public Shape shape() {
        long held = features.stream().filter(Feature::holds).count();
        return held == features.size() ? Shape.YES : held == 0 ? Shape.NO : Shape.PARTLY;
    }

    /** Our numbers, feature by feature. */
    public String ours() { return String.join("; ", features.stream().map(Feature::ours).toList()); }

    /** The rules, each marked ✓ or ✗. */
    public String rules() { return String.join("; ", features.stream().map(f -> (f.holds() ? "✓ " : "✗ ") + f.rule()).toList()); }

    public String shapeText() { return shape().toString().toLowerCase(Locale.ROOT); }

    @Override
    public String toString() {
        return claim + " anchor (" + source + "): published " + published + "; ours " + ours() + "; shape matched: " + shapeText() + " (" + rules() + ")";
    }

    /** A compact HTML block for notebooks, like a verdict's. */
    public String toHtml() {
        String color = switch (shape()) {
            case YES -> "#1a7f37";
            case PARTLY -> "#9a6700";
            case NO -> "#cf222e";
        };
        StringBuilder sb = new StringBuilder("<div style=\"border-left:6px solid " + color + ";padding:6px 12px;margin:4px 0;font-family:sans-serif\">"
                + "<div style=\"font-size:1.15em\"><b>" + esc(claim) + " anchor</b> — " + esc(source) + ": shape matched <b style=\"color:" + color
                + "\">" + shapeText() + "</b></div><table style=\"margin:4px 0\"><tr><td style=\"color:#57606a;padding-right:12px\">published</td><td>"
                + esc(published) + "</td></tr><tr><td style=\"color:#57606a;padding-right:12px\">ours</td><td>" + esc(ours())
                + "</td></tr><tr><td style=\"color:#57606a;padding-right:12px\">tried</td><td>" + esc(tried) + "</td></tr></table>");
        for (Feature f : features) {
            sb.append("<div>").append(f.holds() ? "✓ " : "✗ ").append(esc(f.rule())).append(" <span style=\"color:#57606a\">(").append(esc(f.ours())).append(")</span></div>");
            if (!f.holds())
                sb.append("<div style=\"margin-left:1.4em;color:#57606a\">unlike the paper: ").append(esc(f.differs())).append("</div>");
        }
        return sb.append("</div>").toString();
    }

    /** The anchor as plain data (for {@link #MIME_TYPE}): claim, source, published, ours, tried, shape, features [{rule, ours, holds, differs}]. */
    public Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claim", claim);
        m.put("source", source);
        m.put("published", published);
        m.put("ours", ours());
        m.put("tried", tried);
        m.put("shape", shapeText());
        List<Map<String, Object>> fs = new ArrayList<>();
        for (Feature f : features) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("rule", f.rule());
            fm.put("ours", f.ours());
            fm.put("holds", f.holds());
            fm.put("differs", f.differs());
            fs.add(fm);
        }
        m.put("features", fs);
        return m;
    }

    /** Anchors as a table: claim, source, published, ours, shape matched, features. */
    public static Table table(String name, List<Anchor> anchors) {
        StringColumn claim = StringColumn.create("claim"), source = StringColumn.create("source"), published = StringColumn.create("published"),
                ours = StringColumn.create("ours"), shape = StringColumn.create("shape matched"), rules = StringColumn.create("features (✓ holds)");
        for (Anchor a : anchors) {
            claim.append(a.claim());
            source.append(a.source());
            published.append(a.published());
            ours.append(a.ours());
            shape.append(a.shapeText());
            rules.append(a.rules());
        }
        return Table.create(name, claim, source, published, ours, shape, rules);
    }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }
}
