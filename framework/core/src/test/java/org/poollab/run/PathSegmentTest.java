package org.poollab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names from users stay inside the folder they are resolved in. */
class PathSegmentTest {

    @Test
    void noNameLeavesItsFolder() {
        Path parent = Path.of("/project/.poollab/checkpoints");
        for (String name : List.of("../probe/evil", "/tmp/abs", "..", ".", "", "a/../../b", "..\\win", "team/exp",
                ".hidden", "ü/ü", "a\u0000b")) {
            String segment = PathSegment.of(name);
            Path resolved = parent.resolve(segment).normalize();
            assertEquals(parent, resolved.getParent(), name + " -> " + segment);
            assertTrue(!segment.isEmpty() && !segment.equals(".") && !segment.equals("..") && !segment.contains("/")
                    && !segment.startsWith("."), name + " -> " + segment);
        }
    }

    @Test
    void plainNamesAreKeptAndDistinctNamesStayDistinct() {
        assertEquals("quickstart", PathSegment.of("quickstart"));
        assertEquals("clutter-supervised_v1.2", PathSegment.of("clutter-supervised_v1.2"));
        assertEquals("team%2Fexp", PathSegment.of("team/exp"));
        assertNotEquals(PathSegment.of("team/exp"), PathSegment.of("team_exp"));
        assertNotEquals(PathSegment.of("a%2Fb"), PathSegment.of("a/b"), "the escape character itself is escaped");
    }
}
