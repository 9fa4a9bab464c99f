package org.poollab.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * One figure with a row per pooling / backbone / trainer group: the first test images of one run of each group
 * with its attention map, so that the maps of every method are seen on the same images. Runs of one seed are
 * compared, because the seed chooses the test subset (and so the images in the grids).
 */
final class AttentionComparison {

    /** Images per row of the runs' attention grids (AttentionQuality draws 8 per row). */
    private static final int GRID_COLUMNS = 8;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private AttentionComparison() {
    }

    /**
     * @param groups group label to its runs
     * @param grids run id to its attention grid, relative to {@code folder}
     * @param relative where to write the figure, relative to {@code folder}
     * @return the figure's caption, or nothing when fewer than two groups have a grid of the same seed
     */
    static Optional<String> write(Map<String, List<RunSummary>> groups, Map<String, String> grids, Path folder,
                                  String relative) throws IOException {
        Map<String, Integer> groupsPerSeed = new LinkedHashMap<>();
        groups.values().forEach(runs -> runs.stream().filter(run -> grids.containsKey(run.runId()))
                .map(RunSummary::seed).distinct().forEach(seed -> groupsPerSeed.merge(seed, 1, Integer::sum)));
        Optional<String> seed = groupsPerSeed.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey);
        if (seed.isEmpty() || groupsPerSeed.get(seed.get()) < 2) {
            return Optional.empty();
        }
        List<String> labels = new ArrayList<>();
        List<BufferedImage> rows = new ArrayList<>();
        for (Map.Entry<String, List<RunSummary>> group : groups.entrySet()) {
            Optional<RunSummary> run = group.getValue().stream()
                    .filter(r -> r.seed().equals(seed.get()) && grids.containsKey(r.runId())).findFirst();
            if (run.isPresent()) {
                BufferedImage grid = ImageIO.read(folder.resolve(grids.get(run.get().runId())).toFile());
                int tile = grid.getWidth() / GRID_COLUMNS;
                rows.add(grid.getSubimage(0, 0, grid.getWidth(), Math.min(tile, grid.getHeight())));
                labels.add(group.getKey());
            }
        }
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = probe.createGraphics();
        int labelWidth = 12 + labels.stream().mapToInt(measure.getFontMetrics(LABEL_FONT)::stringWidth).max()
                .orElse(0);
        measure.dispose();
        int width = labelWidth + rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int height = rows.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = figure.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(LABEL_FONT);
        int top = 0;
        for (int i = 0; i < rows.size(); i++) {
            g.setColor(Color.BLACK);
            g.drawString(labels.get(i), 6, top + rows.get(i).getHeight() / 2 + 5);
            g.drawImage(rows.get(i), labelWidth, top, null);
            top += rows.get(i).getHeight();
        }
        g.dispose();
        ImageIO.write(figure, "png", folder.resolve(relative).toFile());
        return Optional.of("attention maps of each group on the same first test images (seed " + seed.get()
                + "; the 60 % mass region outlined)");
    }
}
