package org.normlab.experiment.stats;

/** Argument checks shared by the package; each throws a one-line message naming the method, expected and actual. */
final class Check {
    private Check() {}

    static void level(String method, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException(method + ": expected a confidence level in (0, 1), got " + level);
        }
    }

    static void alpha(String method, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException(method + ": expected alpha in (0, 1), got " + alpha);
        }
    }

    static void finite(String method, String name, double[] x) {
        if (x == null) throw new IllegalArgumentException(method + ": expected an array " + name + ", got null");
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(
                        method + ": expected finite values in " + name + ", got " + name + "[" + i + "] = " + x[i]);
            }
        }
    }

    static void notNaN(String method, String name, double[] x) {
        if (x == null) throw new IllegalArgumentException(method + ": expected an array " + name + ", got null");
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i])) {
                throw new IllegalArgumentException(
                        method + ": expected no NaN in " + name + ", got " + name + "[" + i + "] = NaN");
            }
        }
    }

    static void minLength(String method, String name, double[] x, int min) {
        if (x.length < min) {
            throw new IllegalArgumentException(
                    method + ": expected at least " + min + " values in " + name + ", got " + x.length);
        }
    }

    static void sameLength(String method, double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    method + ": expected paired arrays of equal length, got " + a.length + " and " + b.length);
        }
    }

    static void positive(String method, String name, double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException(method + ": expected a finite " + name + " > 0, got " + x);
        }
    }

    static double[] differences(String method, double[] a, double[] b) {
        finite(method, "a", a);
        finite(method, "b", b);
        sameLength(method, a, b);
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }
}
