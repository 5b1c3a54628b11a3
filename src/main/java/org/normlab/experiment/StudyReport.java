package org.normlab.experiment;

import java.nio.file.Path;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * What a study reports, as each study names it: a study's report is a record of typed parts (its tables, figures and
 * verdicts, e.g. {@code report.mlp().trainLoss()}, {@code report.c2()}), and every report offers the generic parts
 * below. A notebook reads the typed parts; the CLI saves {@link #findings()}.
 */
public interface StudyReport {
    /** The same parts by file name, with the sweep behind them. */
    Findings findings();

    default String name() { return findings().name(); }

    default Scale scale() { return findings().scale(); }

    /** The tidy results table (every logged value of every run). */
    default Table results() { return findings().results(); }

    /** One row per run: diverged (at which step), error, wall time. */
    default Table runs() { return findings().runs(); }

    /** Every verdict, in the order of {@link Study#criteria}. */
    default List<Verdict> verdicts() { return findings().verdicts(); }

    default Table verdictTable() { return findings().verdictTable(); }

    /** The published results this study sets beside its own (see {@link Anchor}); empty for a study without an anchor. */
    default List<Anchor> anchors() { return findings().anchors(); }

    /** {@link #anchors()} as one table: claim, source, published, ours, shape matched, features. */
    default Table anchorTable() { return Anchor.table(name() + ": published anchors beside ours", anchors()); }

    /** See {@link Findings#claimsTable}. */
    default Table claimsTable() { return findings().claimsTable(); }

    /** See {@link Findings#checksTable}. */
    default Table checksTable() { return findings().checksTable(); }

    /** See {@link Findings#save}. */
    default List<Path> save(Path dir) { return findings().save(dir); }
}
