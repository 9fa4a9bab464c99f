package org.poollab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void matchesAFullSortByValueThenIndexIncludingTiesAndOffsets() {
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int length = 1 + random.nextInt(300);
            int k = 1 + random.nextInt(length);
            int offset = random.nextInt(5);
            float[] values = new float[offset + length];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextInt(12); // few distinct values: many ties
            }
            int[] expected = IntStream.range(0, length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -values[offset + i]).thenComparing(i -> i))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, TopK.indices(values, offset, length, k), "trial " + trial);
        }
    }
}
