package org.poollab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrackingJournalTest {

    @Test
    void journalLinesReadBackIntoTheSameCalls() {
        String body = "{\"run_id\":\"r\",\"tags\":[{\"key\":\"error\",\"value\":\"a \\\"quoted\\\" }\\n line\"}]}";
        TrackingJournal.Call post = new TrackingJournal.Call(7, "/api/2.0/mlflow/runs/log-batch", body, null, null);
        assertEquals(post, TrackingJournal.parse(post.line()));
        TrackingJournal.Call upload = new TrackingJournal.Call(8, null, null, Path.of("/tmp/a \"b\".png"),
                "attention/grid.png");
        assertEquals(upload, TrackingJournal.parse(upload.line()));
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Json.string("a\"b\\c\nd\u0001"));
        assertEquals("\"NaN\"", Json.number(Double.NaN));
        assertEquals("1.5", Json.number(1.5));
        assertEquals("a\"b\\c\nd\u0001", new Json.Reader(Json.string("a\"b\\c\nd\u0001")).string());
    }

    @Test
    void artifactPathsStayInsideTheRunsFolder() {
        assertEquals("attention/grid.png", MlflowHttp.insideRun("attention/./grid.png"));
        assertEquals("a/c.png", MlflowHttp.insideRun("a/b/../c.png"));
        assertEquals("a/b.png", MlflowHttp.insideRun("a\\b.png"));
        for (String escaping : new String[] {"../x.png", "a/../../x.png", "/etc/passwd", "\\etc\\passwd", "", ".",
            "a/.."}) {
            assertThrows(MlflowHttp.Rejected.class, () -> MlflowHttp.insideRun(escaping), escaping);
        }
    }
}
