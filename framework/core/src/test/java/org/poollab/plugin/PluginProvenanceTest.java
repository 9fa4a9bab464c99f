package org.poollab.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.poollab.plugin.PluginProvenance.Origin;

class PluginProvenanceTest {

    private static final Origin VIT = new Origin("vit", "vit", "0.1.0", "vit.jar", "a".repeat(64));
    private static final Origin SIMPOOL = new Origin("simpool", "simpool", "0.1.0", "simpool.jar", "b".repeat(64));
    private static final PluginProvenance RECORDED = new PluginProvenance(VIT, SIMPOOL);

    @Test
    void readsBackWhatItWrites() {
        assertEquals(Optional.of(RECORDED), PluginProvenance.parse(RECORDED.properties()));
        assertEquals(10, RECORDED.properties().size());
    }

    @Test
    void aCheckpointWithoutAFieldHasNoProvenance() {
        Map<String, String> older = new HashMap<>(RECORDED.properties());
        older.remove("pooling.sha256");
        assertEquals(Optional.empty(), PluginProvenance.parse(older));
    }

    @Test
    void theSameCodeHasNoChanges() {
        assertEquals(List.of(), RECORDED.changesTo(new PluginProvenance(VIT, SIMPOOL)));
    }

    @Test
    void aRebuiltJarOfTheSameVersionIsAChangeNamingBothHashes() {
        Origin rebuilt = new Origin("simpool", "simpool", "0.1.0", "simpool.jar", "c".repeat(64));
        List<String> changes = RECORDED.changesTo(new PluginProvenance(VIT, rebuilt));
        assertEquals(1, changes.size(), changes.toString());
        assertTrue(changes.get(0).startsWith("pooling 'simpool' was plugin simpool 0.1.0 (simpool.jar, sha256 "
                + "b".repeat(12) + ") and is now plugin simpool 0.1.0 (simpool.jar, sha256 " + "c".repeat(12)),
                changes.get(0));
    }

    @Test
    void anotherVersionOrPluginOfEachComponentIsOneChangeEach() {
        Origin newer = new Origin("vit", "vit", "0.2.0", "vit.jar", "a".repeat(64));
        Origin other = new Origin("simpool", "lab-simpool", "0.1.0", "lab.jar", "b".repeat(64));
        List<String> changes = RECORDED.changesTo(new PluginProvenance(newer, other));
        assertEquals(2, changes.size(), changes.toString());
        assertTrue(changes.get(0).startsWith("backbone 'vit'") && changes.get(0).contains("0.2.0"), changes.get(0));
        assertTrue(changes.get(1).contains("lab-simpool") && changes.get(1).contains("lab.jar"), changes.get(1));
    }

    @Test
    void tagsNameEachPluginAtItsVersionAndItsJarsHash() {
        assertEquals(Map.of("plugin.backbone", "vit@0.1.0", "plugin.backbone.sha256", "a".repeat(64),
                "plugin.pooling", "simpool@0.1.0", "plugin.pooling.sha256", "b".repeat(64)), RECORDED.tags());
    }
}
