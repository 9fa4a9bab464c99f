package org.poollab.eval;

import java.util.Arrays;

/**
 * The indices of the k largest values of a row, sorted by value (descending) then index (ascending), found by
 * quickselect on a copy of the row: O(n) per row instead of a full sort.
 */
final class TopK {

    private TopK() {
    }

    /**
     * @param values the data
     * @param offset where the row starts
     * @param length the row length n
     * @param k how many to return, at most n
     * @return k indices into the row
     */
    static int[] indices(float[] values, int offset, int length, int k) {
        float threshold = kthLargest(Arrays.copyOfRange(values, offset, offset + length), k);
        Integer[] above = new Integer[k];
        int count = 0;
        for (int i = 0; i < length && count < k; i++) {
            if (values[offset + i] > threshold) {
                above[count++] = i;
            }
        }
        for (int i = 0; i < length && count < k; i++) {
            if (values[offset + i] == threshold) {
                above[count++] = i;
            }
        }
        Arrays.sort(above, (a, b) -> {
            int byValue = Float.compare(values[offset + b], values[offset + a]);
            return byValue != 0 ? byValue : Integer.compare(a, b);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = above[i];
        }
        return out;
    }

    /** The k-th largest value (1-based k); reorders {@code a}. */
    static float kthLargest(float[] a, int k) {
        int target = a.length - k; // index in ascending order
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }
}
