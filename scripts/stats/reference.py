#!/usr/bin/env python3
"""Reference values for org.normlab.experiment.stats, computed with SciPy and statsmodels.

Pinned versions (the venv is created with exactly these):
    numpy==2.1.3  scipy==1.14.1  statsmodels==0.14.4  pandas==2.2.3
(pandas is statsmodels' dependency; statsmodels 0.14.4 does not import under pandas 3.)

Usage, from the repository root:
    python3 scripts/stats/reference.py          # creates build/stats-venv if needed, re-runs itself in it
It writes src/test/resources/stats/reference.json, read by the JUnit tests in
src/test/java/org/normlab/experiment/stats/. The output is deterministic: every input is fixed or drawn from a
seeded numpy generator. Re-run it after changing an input here, and commit the script and the JSON together.

Where NormLab follows a documented rule of its own (the "never is worst" scoring for the signed-rank test, the
sign test on bisection intervals), the rule is applied here independently and SciPy does the statistics.
"""
import json
import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "build" / "stats-venv"
PINS = ["numpy==2.1.3", "scipy==1.14.1", "statsmodels==0.14.4", "pandas==2.2.3"]
OUT = ROOT / "src" / "test" / "resources" / "stats" / "reference.json"


def ensure_venv():
    """Creates build/stats-venv with PINS (only when it is missing or its pins changed), then re-runs in it."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    stamp = VENV / ".pins"
    if not python.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    if not stamp.exists() or stamp.read_text() != " ".join(PINS):
        subprocess.check_call([str(python), "-m", "pip", "install", "-q", *PINS])
        stamp.write_text(" ".join(PINS))
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


ensure_venv()

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402
from scipy.stats import CensoredData  # noqa: E402
from scipy.stats._resampling import _bca_interval, _percentile_along_axis  # noqa: E402
from statsmodels.stats.contingency_tables import mcnemar  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402
from statsmodels.stats.power import TTestPower  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402
from statsmodels.stats.weightstats import ttost_paired  # noqa: E402

ALT = {"TWO_SIDED": "two-sided", "GREATER": "greater", "LESS": "less"}
SM_ALT = {"TWO_SIDED": "two-sided", "GREATER": "larger", "LESS": "smaller"}


def f(x):
    """A float for JSON; NaN and infinities are written as NaN / Infinity (the tests allow them)."""
    return float(x)


def lst(xs):
    return [f(x) for x in xs]


def paired_t_cases():
    rng = np.random.default_rng(11)
    cases = [
        ("n2", [1.0, 2.5], [0.5, 1.0], 0.0, 0.95),
        ("n3", [0.31, 0.29, 0.35], [0.30, 0.27, 0.30], 0.0, 0.95),
        ("n10_level90", list(rng.normal(0.1, 1, 10)), list(rng.normal(0, 1, 10)), 0.0, 0.90),
        ("negative_t", [1.0, 1.2, 0.9, 1.1, 1.05], [1.3, 1.4, 1.2, 1.5, 1.25], 0.0, 0.95),
        ("p_near_0", list(rng.normal(5, 1, 30)), list(rng.normal(0, 1, 30)), 0.0, 0.95),
        ("p_1", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.5, 1.5, 3.5, 3.5, 5.5, 5.5], 0.0, 0.95),
        ("p_near_1", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.5, 1.5, 3.5, 3.5, 5.5, 5.49], 0.0, 0.95),
        ("null_value", [2.1, 2.4, 1.9, 2.6, 2.2, 2.0, 2.3], [1.0, 1.1, 0.9, 1.2, 1.0, 1.1, 1.0], 1.0, 0.99),
    ]
    out = []
    for name, a, b, null, level in cases:
        a, b = np.array(a), np.array(b)
        d = a - b
        row = {"name": name, "a": lst(a), "b": lst(b), "null": null, "level": level,
               "mean": f(d.mean()), "sd": f(d.std(ddof=1)), "df": len(d) - 1}
        for alt in ALT:
            r = stats.ttest_rel(a - null, b, alternative=ALT[alt])
            ci = r.confidence_interval(level)
            row["t"] = f(r.statistic)
            row["p_" + alt] = f(r.pvalue)
            row["ci_" + alt] = [f(ci.low + null), f(ci.high + null)]
        out.append(row)
    return out


def tost_cases():
    rng = np.random.default_rng(17)
    cases = [
        ("equivalent", list(rng.normal(0.02, 0.05, 20)), list(np.zeros(20)), -0.1, 0.1, 0.05),
        ("not_equivalent", [0.1, 0.3, -0.2, 0.4, 0.0], [0.0] * 5, -0.1, 0.1, 0.05),
        ("asymmetric", list(rng.normal(0.0, 1, 12)), list(rng.normal(0.2, 1, 12)), -1.0, 0.5, 0.05),
        ("n3", [1.0, 1.1, 0.9], [1.05, 1.0, 0.95], -0.2, 0.2, 0.05),
    ]
    out = []
    for name, a, b, low, high, alpha in cases:
        p, (t1, p1, df1), (t2, p2, df2) = ttost_paired(np.array(a), np.array(b), low, high)
        out.append({"name": name, "a": lst(a), "b": lst(b), "low": low, "high": high, "alpha": alpha,
                    "p": f(p), "t_lower": f(t1), "p_lower": f(p1), "t_upper": f(t2), "p_upper": f(p2),
                    "df": f(df1), "equivalent": bool(p < alpha)})
    return out


def multiplicity_cases():
    families = [
        ("single", [0.03]),
        ("typical", [0.01, 0.04, 0.03, 0.005, 0.2, 0.6]),
        ("ties", [0.02, 0.02, 0.02, 0.5, 0.5]),
        ("near_1_and_0", [0.999, 1.0, 1e-12, 0.9999, 0.0]),
        ("claims16", [0.001, 0.004, 0.012, 0.02, 0.021, 0.03, 0.041, 0.049, 0.05, 0.08, 0.12, 0.2, 0.33, 0.46,
                      0.71, 0.95]),
    ]
    out = []
    for name, p in families:
        holm = multipletests(p, alpha=0.05, method="holm")[1]
        bh = multipletests(p, alpha=0.05, method="fdr_bh")[1]
        out.append({"name": name, "p": lst(p), "holm": lst(holm), "bh": lst(bh)})
    return out


def proportion_cases():
    cases = [(0, 1), (1, 1), (0, 5), (5, 5), (1, 2), (3, 10), (7, 9), (1, 1000), (999, 1000), (500, 1000),
             (0, 20)]
    out = []
    for k, n in cases:
        for level in (0.95, 0.9):
            cp = proportion_confint(k, n, alpha=1 - level, method="beta")
            w = proportion_confint(k, n, alpha=1 - level, method="wilson")
            out.append({"k": k, "n": n, "level": level, "clopper_pearson": lst(cp), "wilson": lst(w)})
    return out


def fisher_cases():
    tables = [[[3, 1], [1, 3]], [[8, 2], [1, 5]], [[0, 5], [5, 0]], [[5, 0], [5, 0]], [[2, 2], [2, 2]],
              [[10, 0], [0, 10]], [[1, 9], [11, 3]], [[20, 30], [25, 25]], [[0, 1], [0, 1]], [[1, 0], [0, 0]],
              [[12, 5], [29, 2]]]
    out = []
    for t in tables:
        row = {"table": t}
        for alt in ALT:
            row["p_" + alt] = f(stats.fisher_exact(t, alternative=ALT[alt]).pvalue)
        out.append(row)
    return out


def mcnemar_cases():
    out = []
    for b, c in [(0, 0), (3, 0), (10, 0), (5, 5), (7, 2), (1, 12), (30, 45)]:
        out.append({"only_first": b, "only_second": c,
                    "p": f(mcnemar([[10, b], [c, 10]], exact=True).pvalue)})
    return out


def binom_cases():
    out = []
    for k, n in [(0, 0), (0, 1), (1, 1), (3, 6), (0, 10), (9, 10), (2, 7), (40, 100), (0, 60)]:
        p = 1.0 if n == 0 else stats.binomtest(k, n, 0.5).pvalue
        out.append({"k": k, "n": n, "p": f(p)})
    return out


def logrank_cases():
    # (times, event flags) per arm; a flag False is "censored at that time" (the budget).
    cases = [
        ("typical", [3, 5, 7, 9, 10, 10], [1, 1, 1, 1, 0, 0], [6, 8, 10, 10, 10, 10], [1, 1, 0, 0, 0, 0]),
        ("tied_event_and_censor", [2, 4, 4, 6, 8], [1, 1, 0, 1, 0], [4, 4, 5, 8, 8], [1, 1, 1, 1, 0]),
        ("x_all_censored", [10, 10, 10, 10], [0, 0, 0, 0], [2, 3, 5, 7], [1, 1, 1, 1]),
        ("y_all_censored", [1, 2, 2, 3, 4], [1, 1, 1, 1, 1], [5, 5, 5], [0, 0, 0]),
        ("n2_each", [1, 3], [1, 1], [2, 4], [1, 1]),
        ("no_difference", [1, 2, 3, 4], [1, 1, 1, 1], [1, 2, 3, 4], [1, 1, 1, 1]),
        ("p_near_0", list(range(1, 21)), [1] * 20, [30] * 20, [0] * 20),
        ("all_censored", [10, 10, 10], [0, 0, 0], [10, 10], [0, 0]),
    ]
    out = []
    for name, tx, ex, ty, ey in cases:
        tx, ty = np.array(tx, float), np.array(ty, float)
        ex, ey = np.array(ex, bool), np.array(ey, bool)
        x = CensoredData(uncensored=tx[ex], right=tx[~ex])
        y = CensoredData(uncensored=ty[ey], right=ty[~ey])
        row = {"name": name, "time_x": lst(tx), "event_x": ex.tolist(), "time_y": lst(ty), "event_y": ey.tolist()}
        with np.errstate(all="ignore"):
            try:
                for alt in ALT:
                    r = stats.logrank(x, y, alternative=ALT[alt])
                    row["z"] = f(r.statistic)
                    row["p_" + alt] = f(r.pvalue)
            except Exception as e:  # noqa: BLE001 - recorded: the Java side documents its own answer
                row["scipy_error"] = type(e).__name__ + ": " + str(e)
        out.append(row)
    return out


def never_worst(steps, budget):
    return [2 * budget + 1 if (s is None or s > budget) else s for s in steps]


def wilcoxon_cases():
    rng = np.random.default_rng(23)
    inf = math.inf
    large = list(np.round(rng.normal(0.3, 1, 60), 1))  # rounded: ties and zeros
    cases = [
        ("exact_no_ties", list(rng.normal(0.5, 1, 9)), "auto", False),
        ("exact_ties", [1, -1, 2, 2, -3, 4, 4, 4], "auto", False),
        ("n2", [0.5, 1.5], "auto", False),
        ("n3_all_positive", [0.2, 0.1, 0.3], "auto", False),
        ("zeros_normal", [0, 0, 1, -2, 3, 3, 4, 5, -1, 6, 2], "auto", False),
        ("zeros_normal_corrected", [0, 0, 1, -2, 3, 3, 4, 5, -1, 6, 2], "auto", True),
        ("large_normal", large, "auto", False),
        ("large_normal_corrected", large, "auto", True),
        ("forced_normal", list(rng.normal(0.5, 1, 15)), "approx", True),
    ]
    out = []
    for name, d, method, corr in cases:
        row = {"name": name, "d": lst(d), "method": method, "correction": corr}
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            for alt in ALT:
                r = stats.wilcoxon(d, correction=corr, alternative=ALT[alt], method=method)
                row["stat_" + alt] = f(r.statistic)
                row["p_" + alt] = f(r.pvalue)
        out.append(row)
    # steps-to-target with "never" (inf), paired by seed; NormLab's rule: never -> 2*budget+1
    budget = 100.0
    never = [
        ("never_paired", [20, 35, inf, 50, 42, inf, 30, 28, 61, 33], [25, inf, inf, 70, 40, inf, inf, 45, 90, inf]),
        ("never_one_arm", [10, 12, 15, 9, 11, 14], [inf] * 6),
    ]
    for name, a, b in never:
        ta, tb = never_worst(a, budget), never_worst(b, budget)
        d = np.array(ta, float) - np.array(tb, float)
        row = {"name": name, "steps_a": lst(a), "steps_b": lst(b), "budget": budget}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for alt in ALT:
                r = stats.wilcoxon(d, alternative=ALT[alt])
                row["stat_" + alt] = f(r.statistic)
                row["p_" + alt] = f(r.pvalue)
        out.append(row)
    return out


def mwu_cases():
    rng = np.random.default_rng(29)
    inf = math.inf
    cases = [
        ("exact_small", [1.1, 2.3, 0.7, 3.1], [2.9, 4.2, 3.3, 5.0, 3.8]),
        ("exact_n2", [1.0, 2.0], [3.0, 4.0]),
        ("exact_one_large", list(rng.normal(0, 1, 5)), list(rng.normal(0.8, 1, 30))),
        ("ties_normal", [1, 2, 2, 3, 3, 3], [2, 3, 4, 4, 5]),
        ("never_inf", [10, 20, inf, 15, inf, 30, 12, 18, 22], [25, inf, inf, 40, inf, inf, 35, 28, 50, inf]),
        ("large_normal", list(rng.normal(0, 1, 20)), list(rng.normal(0.5, 1, 25))),
        ("all_never", [inf, inf, inf], [inf, inf]),
    ]
    out = []
    for name, x, y in cases:
        row = {"name": name, "x": lst(x), "y": lst(y)}
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            for alt in ALT:
                r = stats.mannwhitneyu(x, y, alternative=ALT[alt])
                row["u1"] = f(r.statistic)
                row["p_" + alt] = f(r.pvalue)
        out.append(row)
    return out


def bisection_cases():
    inf = math.inf
    # per seed: [last stable, first unstable] for arm a and arm b
    cases = [
        ("typical",
         [[0.1, 0.2], [0.1, 0.2], [0.2, 0.4], [0.05, 0.1], [0.1, 0.2], [0.4, inf], [0.1, 0.2], [0.2, 0.4]],
         [[0.05, 0.1], [0.025, 0.05], [0.1, 0.2], [0.05, 0.1], [0.1, 0.15], [0.1, 0.2], [0.2, 0.4], [0.05, 0.1]]),
        ("all_ties", [[0.1, 0.2], [0.1, 0.2]], [[0.15, 0.3], [0.05, 0.15]]),
        ("touching", [[0.2, 0.4], [0.0, 0.01], [0.1, 0.2]], [[0.1, 0.2], [0.01, 0.02], [0.2, 0.4]]),
    ]
    out = []
    for name, a, b in cases:
        a_hi = sum(1 for x, y in zip(a, b) if x[0] >= y[1])
        b_hi = sum(1 for x, y in zip(a, b) if y[0] >= x[1] and not x[0] >= y[1])
        ties = len(a) - a_hi - b_hi
        p = 1.0 if a_hi + b_hi == 0 else stats.binomtest(a_hi, a_hi + b_hi, 0.5).pvalue
        out.append({"name": name, "a": [lst(x) for x in a], "b": [lst(x) for x in b], "a_higher": a_hi,
                    "b_higher": b_hi, "ties": ties, "p": f(p)})
    return out


def bootstrap_cases():
    # (1) Exact: BCa and percentile from given replicates (SciPy's own interval code on numpy's draws).
    rng = np.random.default_rng(31)
    x = rng.lognormal(0, 0.8, 15)
    idx = rng.integers(0, len(x), (4000, len(x)))
    reps = x[idx].mean(axis=1)
    exact = []
    for level in (0.95, 0.9):
        alpha = (1 - level) / 2
        a1, a2, a_hat = _bca_interval((x,), lambda s, axis: np.mean(s, axis=axis), -1, alpha, reps, None)
        bca = [f(_percentile_along_axis(reps, a1 * 100)), f(_percentile_along_axis(reps, a2 * 100))]
        pct = [f(np.percentile(reps, alpha * 100)), f(np.percentile(reps, (1 - alpha) * 100))]
        exact.append({"level": level, "bca": bca, "percentile": pct, "a_hat": f(a_hat)})
    # (2) In distribution: SciPy's bootstrap on a large sample; Java's own draws must land close.
    big = np.random.default_rng(37).gamma(2.0, 1.0, 200)
    big_b = big + np.random.default_rng(41).normal(-0.3, 0.5, 200)
    dist = {"x": lst(big), "y": lst(big_b), "se": f(big.std(ddof=1) / math.sqrt(len(big))),
            "se_paired": f((big - big_b).std(ddof=1) / math.sqrt(len(big))), "resamples": 20000}
    for method in ("percentile", "BCa"):
        r = stats.bootstrap((big,), np.mean, n_resamples=20000, method=method, random_state=np.random.default_rng(43))
        dist[method] = [f(r.confidence_interval.low), f(r.confidence_interval.high)]
        r = stats.bootstrap((big, big_b), lambda u, v, axis: np.mean(u - v, axis=axis), paired=True,
                            n_resamples=20000, method=method, random_state=np.random.default_rng(47))
        dist[method + "_paired"] = [f(r.confidence_interval.low), f(r.confidence_interval.high)]
    return {"x": lst(x), "replicates": lst(reps), "exact": exact, "distribution": dist}


def boost_power(d, n, alpha, alt):
    """The paired t power with SciPy's nct (Boost, accurate to ~1e-15). statsmodels' TTestPower uses
    scipy.special.nctdtr (CDFLIB), which is off by up to ~1e-8: both are written, and compared at their accuracy."""
    df = n - 1
    nc = d * math.sqrt(n)
    tail = alpha / 2 if alt == "TWO_SIDED" else alpha
    power = 0.0
    if alt != "LESS":
        power += stats.nct.sf(stats.t.isf(tail, df), df, nc)
    if alt != "GREATER":
        power += stats.nct.cdf(stats.t.ppf(tail, df), df, nc)
    return power


def power_cases():
    from scipy.optimize import brentq
    out = []
    tp = TTestPower()
    for d, n, alpha, alt in [(0.5, 20, 0.05, "TWO_SIDED"), (0.5, 20, 0.05, "GREATER"), (-0.5, 20, 0.05, "LESS"),
                             (1.2, 4, 0.05, "TWO_SIDED"), (0.2, 200, 0.01, "TWO_SIDED"), (2.5, 3, 0.05, "GREATER"),
                             (0.8, 7.5, 0.1, "TWO_SIDED"), (0.05, 50, 0.05, "TWO_SIDED"),
                             (0.0198, 20000, 0.05, "TWO_SIDED")]:
        out.append({"d": d, "n": n, "alpha": alpha, "alternative": alt,
                    "power": f(tp.power(effect_size=d, nobs=n, alpha=alpha, alternative=SM_ALT[alt])),
                    "power_boost": f(boost_power(d, n, alpha, alt))})
    seeds = []
    for mean, sd, alpha, power, alt in [(0.05, 0.1, 0.05, 0.8, "TWO_SIDED"), (0.05, 0.1, 0.05, 0.9, "GREATER"),
                                        (-0.3, 0.2, 0.05, 0.8, "LESS"), (1.0, 0.5, 0.05, 0.8, "TWO_SIDED"),
                                        (0.01, 0.1, 0.01, 0.95, "TWO_SIDED"), (5.0, 1.0, 0.05, 0.8, "TWO_SIDED")]:
        d = mean / sd
        nobs = tp.solve_power(effect_size=d, nobs=None, alpha=alpha, power=power, alternative=SM_ALT[alt])
        exact = brentq(lambda n: boost_power(d, n, alpha, alt) - power, 1.5, 1e6, xtol=1e-13, rtol=1e-15)
        seeds.append({"mean": mean, "sd": sd, "alpha": alpha, "power": power, "alternative": alt,
                      "continuous_seeds": f(nobs), "continuous_seeds_boost": f(exact),
                      "seeds": int(math.ceil(exact))})
    nct = []
    for t, df, nc in [(2.0, 9, 1.5), (-1.0, 4, 0.5), (0.0, 3, 2.0), (3.5, 29, 4.0), (-2.5, 19, -1.0),
                      (1.7, 1.5, 0.3), (10.0, 50, 8.0)]:
        nct.append({"t": t, "df": df, "nc": nc, "cdf": f(stats.nct.cdf(t, df, nc))})
    return {"power": out, "seeds": seeds, "nct": nct}


def sign_power_cases():
    """The exact sign test's power with n decided seeds at a true share p (the sum of binom.pmf over the k that
    binomtest rejects at 0.05), the smallest n reaching 80%, and Schoenfeld's log-rank events for a hazard ratio."""
    def power(n, p):
        return sum(stats.binom.pmf(k, n, p) for k in range(n + 1) if stats.binomtest(k, n, 0.5).pvalue < 0.05)

    def seeds(p):
        return next(n for n in range(1, 2001) if power(n, p) >= 0.8)

    cases = [{"n": n, "share": p, "power": f(power(n, p))} for n, p in [(10, 0.9), (12, 0.75), (20, 0.7), (6, 1.0), (40, 0.35)]]
    minimal = [{"share": p, "seeds": seeds(p)} for p in [0.9, 0.8, 0.75, 0.3]]
    z = stats.norm.isf(0.025) + stats.norm.isf(0.2)
    events = [{"hazard_ratio": hr, "events": f(4 * z * z / math.log(hr) ** 2)} for hr in [2.0, 1.5, 0.5]]
    return {"power": cases, "seeds": minimal, "schoenfeld": events}


def tost_power_cases():
    """The paired TOST's power by the noncentral-t formula of PowerTOST's method "nct" (P(A) + P(B) - 1 of the two
    one-sided rejections), the smallest n reaching 80% by a search over n, and a simulation of the paired TOST itself
    (statsmodels' ttost_paired on normal differences, fixed seed): the formula is a lower bound of the true power."""
    def power(n, delta, sd, margin, alpha):
        df, tc, root = n - 1, stats.t.isf(alpha, n - 1), math.sqrt(n)
        return max(0.0, stats.nct.cdf(-tc, df, (delta - margin) * root / sd) - stats.nct.cdf(tc, df, (delta + margin) * root / sd))

    def simulated(n, delta, sd, margin, alpha, sims=4000, seed=11):
        rng = np.random.default_rng(seed)
        hits = 0
        for _ in range(sims):
            d = rng.normal(delta, sd, n)
            p, _, _ = ttost_paired(d, np.zeros(n), -margin, margin)
            hits += p < alpha
        return hits / sims

    cases = []
    for n, delta, sd, margin, alpha in [(10, 0.0, 0.01, 0.01, 0.05), (8, 0.003, 0.01, 0.01, 0.05), (30, -0.004, 0.012, 0.01, 0.05),
                                        (5, 0.001, 0.005, 0.01, 0.05), (20, 0.002, 0.01, 0.01, 0.05 / 57)]:
        cases.append({"n": n, "delta": delta, "sd": sd, "margin": margin, "alpha": alpha, "power": f(power(n, delta, sd, margin, alpha)),
                      "simulated": simulated(n, delta, sd, margin, alpha), "sims": 4000})
    seeds = []
    for delta, sd, margin, alpha in [(0.0, 0.01, 0.01, 0.05), (0.003, 0.01, 0.01, 0.05), (0.005, 0.02, 0.01, 0.05), (0.002, 0.01, 0.01, 0.05 / 57)]:
        n = 2
        while power(n, delta, sd, margin, alpha) < 0.8:
            n += 1
        seeds.append({"delta": delta, "sd": sd, "margin": margin, "alpha": alpha, "seeds": n})
    return {"power": cases, "seeds": seeds}


def main():
    ref = {
        "versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__,
                     "statsmodels": __import__("statsmodels").__version__},
        "paired_t": paired_t_cases(),
        "tost": tost_cases(),
        "multiplicity": multiplicity_cases(),
        "proportions": proportion_cases(),
        "fisher": fisher_cases(),
        "mcnemar": mcnemar_cases(),
        "binomtest": binom_cases(),
        "logrank": logrank_cases(),
        "wilcoxon": wilcoxon_cases(),
        "mannwhitney": mwu_cases(),
        "bisection": bisection_cases(),
        "bootstrap": bootstrap_cases(),
        "power": power_cases(),
        "sign_power": sign_power_cases(),
        "tost_power": tost_power_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(ref, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
