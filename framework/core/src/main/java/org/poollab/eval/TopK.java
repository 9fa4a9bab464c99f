package org.poollab.eval;

/**
 * The indices of the k largest values of a row, sorted by value (descending) then index (ascending). One pass
 * with a bounded min-heap: once the heap is full almost every value is rejected by a single comparison with its
 * root, so a row of n values costs about n comparisons plus {@code k log k log(n/k)} heap work.
 */
final class TopK {

    private TopK() {
    }

    /**
     * @param values the data
     * @param offset where the row starts
     * @param length the row length n
     * @param k how many to return, 1 to n
     * @return k indices into the row
     */
    static int[] indices(float[] values, int offset, int length, int k) {
        int[] heap = new int[k]; // row indices; heap[0] is the weakest kept: smallest value, then largest index
        for (int i = 0; i < k; i++) {
            heap[i] = i;
            siftUp(values, offset, heap, i);
        }
        for (int i = k; i < length; i++) {
            // Later indices only win on a strictly larger value: ties keep the earlier index.
            if (values[offset + i] > values[offset + heap[0]]) {
                heap[0] = i;
                siftDown(values, offset, heap, k);
            }
        }
        for (int size = k - 1; size > 0; size--) { // heap sort: weakest to the back
            int weakest = heap[0];
            heap[0] = heap[size];
            heap[size] = weakest;
            siftDown(values, offset, heap, size);
        }
        return heap;
    }

    /** Whether row index a is kept before b: a smaller value, or an equal value at a larger index, is weaker. */
    private static boolean weaker(float[] values, int offset, int a, int b) {
        float va = values[offset + a];
        float vb = values[offset + b];
        return va < vb || (va == vb && a > b);
    }

    private static void siftUp(float[] values, int offset, int[] heap, int position) {
        int child = position;
        while (child > 0) {
            int parent = (child - 1) >>> 1;
            if (!weaker(values, offset, heap[child], heap[parent])) {
                return;
            }
            swap(heap, child, parent);
            child = parent;
        }
    }

    private static void siftDown(float[] values, int offset, int[] heap, int size) {
        int parent = 0;
        while (true) {
            int weakest = parent;
            int left = 2 * parent + 1;
            int right = left + 1;
            if (left < size && weaker(values, offset, heap[left], heap[weakest])) {
                weakest = left;
            }
            if (right < size && weaker(values, offset, heap[right], heap[weakest])) {
                weakest = right;
            }
            if (weakest == parent) {
                return;
            }
            swap(heap, parent, weakest);
            parent = weakest;
        }
    }

    private static void swap(int[] heap, int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}
