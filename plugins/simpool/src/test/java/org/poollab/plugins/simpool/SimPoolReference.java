package org.poollab.plugins.simpool;

/**
 * SimPool in plain Java double arithmetic, written from docs/method.md §3 independently of the SameDiff graph.
 * Arrays: tokens {@code [B][N][d]}, weights {@code [in][out]} (y = x W).
 */
final class SimPoolReference {

    final double[][] pooled;
    final double[][] attention;

    SimPoolReference(double[][][] x, double[][] wq, double[][] wk, double[] gain, double[] bias, int heads,
                     Double gamma, double beta, boolean batchMinimum, double eps) {
        int b = x.length;
        int n = x[0].length;
        int d = x[0][0].length;
        int dh = d / heads;
        double[][][] z = new double[b][n][];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                z[i][j] = layerNorm(x[i][j], gain, bias, eps);
            }
        }
        double batchMin = Double.POSITIVE_INFINITY;
        for (double[][] sample : z) {
            batchMin = Math.min(batchMin, min(sample));
        }
        pooled = new double[b][d];
        attention = new double[b][n];
        for (int i = 0; i < b; i++) {
            double[] u0 = new double[d];
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < d; c++) {
                    u0[c] += x[i][j][c] / n;
                }
            }
            double[] q = multiply(u0, wq);
            double[][] k = new double[n][];
            for (int j = 0; j < n; j++) {
                k[j] = multiply(z[i][j], wk);
            }
            double m = batchMinimum ? batchMin : min(z[i]);
            for (int h = 0; h < heads; h++) {
                double[] scores = new double[n];
                for (int j = 0; j < n; j++) {
                    for (int c = h * dh; c < (h + 1) * dh; c++) {
                        scores[j] += q[c] * k[j][c];
                    }
                    scores[j] /= Math.sqrt(dh);
                }
                double[] a = softmax(scores);
                for (int j = 0; j < n; j++) {
                    attention[i][j] += a[j] / heads;
                }
                for (int c = h * dh; c < (h + 1) * dh; c++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        double v = z[i][j][c];
                        sum += gamma == null ? a[j] * v : a[j] * Math.pow(v - m + eps, gamma);
                    }
                    pooled[i][c] = gamma == null ? sum : Math.pow(sum, 1 / gamma) + beta;
                }
            }
        }
    }

    private static double[] layerNorm(double[] v, double[] gain, double[] bias, double eps) {
        double mean = 0;
        for (double e : v) {
            mean += e / v.length;
        }
        double variance = 0;
        for (double e : v) {
            variance += (e - mean) * (e - mean) / v.length;
        }
        double[] out = new double[v.length];
        for (int c = 0; c < v.length; c++) {
            out[c] = (v[c] - mean) / Math.sqrt(variance + eps) * gain[c] + bias[c];
        }
        return out;
    }

    private static double[] multiply(double[] v, double[][] w) {
        double[] out = new double[w[0].length];
        for (int r = 0; r < v.length; r++) {
            for (int c = 0; c < out.length; c++) {
                out[c] += v[r] * w[r][c];
            }
        }
        return out;
    }

    private static double[] softmax(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double e : s) {
            max = Math.max(max, e);
        }
        double total = 0;
        double[] out = new double[s.length];
        for (int j = 0; j < s.length; j++) {
            out[j] = Math.exp(s[j] - max);
            total += out[j];
        }
        for (int j = 0; j < s.length; j++) {
            out[j] /= total;
        }
        return out;
    }

    private static double min(double[][] m) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : m) {
            for (double e : row) {
                min = Math.min(min, e);
            }
        }
        return min;
    }
}
