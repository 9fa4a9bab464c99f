package org.poollab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void expandsTheGridLastKeyFastest() throws IOException {
        ExperimentPlan plan = ExperimentLoader.plan(write("experiment: s\nsweep: {pooling.id: [simpool, cls, gap], "
                + "seed: [0, 1]}\n"), List.of());
        assertTrue(plan.isSweep());
        assertEquals(6, plan.points().size());
        assertEquals("pooling.id=simpool,seed=1", plan.points().get(1).label());
        assertEquals("cls", plan.points().get(2).config().pooling().id());
        assertEquals(0, plan.points().get(2).config().seed());
        assertEquals(1, plan.points().get(5).config().seed());
        assertEquals("gap", plan.points().get(5).config().pooling().id());
    }

    @Test
    void excludedCombinationsAreLeftOutAndBadExclusionsNameTheirPath() throws IOException {
        ExperimentPlan plan = ExperimentLoader.plan(write("experiment: s\nsweep:\n  pooling.id: [simpool, cls]\n"
                + "  backbone.id: [vit, convnext]\n  exclude: [{pooling.id: cls, backbone.id: convnext}]\n"),
                List.of());
        assertEquals(List.of("simpool/vit", "simpool/convnext", "cls/vit"), plan.points().stream()
                .map(p -> p.config().pooling().id() + "/" + p.config().backbone().id()).toList());
        assertEquals(List.of("pooling.id", "backbone.id"), List.copyOf(plan.grid().keySet()));
        ConfigException unknown = assertThrows(ConfigException.class, () -> ExperimentLoader.plan(write(
                "experiment: s\nsweep: {pooling.id: [gap], exclude: [{seed: 1}]}\n"), List.of()));
        assertTrue(unknown.getMessage().contains("sweep.exclude[0].seed"), unknown.getMessage());
        ConfigException everything = assertThrows(ConfigException.class, () -> ExperimentLoader.plan(write(
                "experiment: s\nsweep: {pooling.id: [gap], exclude: [{pooling.id: gap}]}\n"), List.of()));
        assertTrue(everything.getMessage().contains("leaves no run"), everything.getMessage());
    }

    @Test
    void whereRulesSetKeysOnlyForTheMatchingPointsAndBadRulesNameTheirPath() throws IOException {
        ExperimentPlan plan = ExperimentLoader.plan(write("experiment: s\npooling: {params: {}}\nsweep:\n"
                + "  pooling.id: [simpool, gap]\n  backbone.id: [vit, resnet]\n"
                + "  where: [{match: {pooling.id: simpool, backbone.id: resnet}, set: {pooling.params.gamma: 2.0}}]\n"),
                List.of());
        assertEquals(4, plan.points().size());
        for (SweepPoint point : plan.points()) {
            boolean cnnSimPool = point.config().pooling().id().equals("simpool")
                    && point.config().backbone().id().equals("resnet");
            assertEquals(cnnSimPool ? 2.0 : null, point.config().pooling().params().get("gamma"), point.label());
        }
        assertEquals("pooling.id=simpool,backbone.id=resnet", plan.points().get(1).label(),
                "a rule's settings are not grid axes");
        ConfigException unknown = assertThrows(ConfigException.class, () -> ExperimentLoader.plan(write(
                "experiment: s\nsweep: {pooling.id: [gap], where: [{match: {seed: 1}, set: {seed: 2}}]}\n"),
                List.of()));
        assertTrue(unknown.getMessage().contains("sweep.where[0].match.seed"), unknown.getMessage());
        ConfigException shape = assertThrows(ConfigException.class, () -> ExperimentLoader.plan(write(
                "experiment: s\nsweep: {pooling.id: [gap], where: [{match: {pooling.id: gap}}]}\n"), List.of()));
        assertTrue(shape.getMessage().contains("sweep.where[0]") && shape.getMessage().contains("'set'"),
                shape.getMessage());
    }

    @Test
    void aFileWithoutSweepIsOneRun() throws IOException {
        ExperimentPlan plan = ExperimentLoader.plan(write("experiment: s\n"), List.of());
        assertFalse(plan.isSweep());
        assertEquals(1, plan.points().size());
        assertEquals("", plan.points().get(0).label());
    }

    @Test
    void eachPointIsValidatedAndNamesTheSweptKey() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentLoader.plan(
                write("experiment: s\nsweep: {trainer.epochs: [1, zero]}\n"), List.of()));
        assertEquals("trainer.epochs", e.path());
    }

    @Test
    void aSweepValueMustBeAList() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentLoader.plan(
                write("experiment: s\nsweep: {seed: 3}\n"), List.of()));
        assertEquals("sweep.seed", e.path());
    }

    @Test
    void singleExperimentCommandsRefuseASweep() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentLoader.load(
                write("experiment: s\nsweep: {seed: [1, 2]}\n"), List.of()));
        assertEquals("sweep", e.path());
    }
}
