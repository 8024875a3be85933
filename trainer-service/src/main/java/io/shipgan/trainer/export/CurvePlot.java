package io.shipgan.trainer.export;

import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.model.TrainingHistory;
import io.shipgan.trainer.score.CheckpointScorer;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The run's curves as one PNG: losses over steps, the classifier rates of each label over checkpoints (0 to 1),
 * and the Fréchet distance of each label with its real-vs-real floor dashed. Drawn with Java2D, headless.
 */
public final class CurvePlot {

    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 240;
    private static final int LEFT = 70;
    private static final int RIGHT = 180;
    private static final int TOP = 28;
    private static final int BOTTOM = 30;
    private static final Color[] COLOURS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)};

    private CurvePlot() {
    }

    private record Series(String name, List<double[]> points, Color colour, boolean dashed) {
    }

    public static byte[] png(List<TrainingHistory.Point> history, List<ChipLabel> labels) {
        BufferedImage image = new BufferedImage(WIDTH, 3 * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            List<TrainingHistory.Point> checkpoints = history.stream().filter(p -> p.scores() != null).toList();

            panel(g, 0, "losses", List.of(
                    series("generator", history, TrainingHistory.Point::generatorLoss, COLOURS[0], false),
                    series("discriminator", history, TrainingHistory.Point::discriminatorLoss, COLOURS[1], false)),
                    false);
            List<Series> rates = new ArrayList<>();
            List<Series> distances = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                ChipLabel label = labels.get(i);
                Color colour = COLOURS[(i + 2) % COLOURS.length];
                rates.add(score(CheckpointScorer.rateKey(label), checkpoints, colour, false));
                distances.add(score(CheckpointScorer.distanceKey(label), checkpoints, colour, false));
                distances.add(score(CheckpointScorer.floorKey(label), checkpoints, colour, true));
            }
            panel(g, 1, "classifier rate of each label (checkpoints)", rates, true);
            panel(g, 2, "Frechet distance to held-out chips (dashed: real-vs-real floor)", distances, false);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Series series(String name, List<TrainingHistory.Point> points,
                                 ToDoubleFunction<TrainingHistory.Point> value, Color colour, boolean dashed) {
        List<double[]> xy = new ArrayList<>();
        for (TrainingHistory.Point point : points) {
            xy.add(new double[] {point.step(), value.applyAsDouble(point)});
        }
        return new Series(name, xy, colour, dashed);
    }

    private static Series score(String key, List<TrainingHistory.Point> checkpoints, Color colour, boolean dashed) {
        List<TrainingHistory.Point> having = checkpoints.stream().filter(p -> p.scores().containsKey(key)).toList();
        return series(key, having, p -> p.scores().get(key), colour, dashed);
    }

    private static void panel(Graphics2D g, int index, String title, List<Series> all, boolean unitRange) {
        int top = index * PANEL_HEIGHT + TOP;
        int height = PANEL_HEIGHT - TOP - BOTTOM;
        int width = WIDTH - LEFT - RIGHT;
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, top - 10);
        g.setColor(new Color(0xdddddd));
        g.drawRect(LEFT, top, width, height);

        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = unitRange ? 0 : Double.MAX_VALUE;
        double maxY = unitRange ? 1 : -Double.MAX_VALUE;
        for (Series series : all) {
            for (double[] p : series.points()) {
                if (!Double.isFinite(p[1])) {
                    continue;
                }
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                if (!unitRange) {
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                }
            }
        }
        if (minX > maxX) {
            g.setColor(Color.GRAY);
            g.drawString("no points yet", LEFT + width / 2 - 40, top + height / 2);
            return;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY <= minY) {
            maxY = minY + 1;
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format("%.3g", maxY), 4, top + 10);
        g.drawString(String.format("%.3g", minY), 4, top + height);
        g.drawString("step " + (long) minX, LEFT, top + height + 16);
        String last = "step " + (long) maxX;
        g.drawString(last, LEFT + width - g.getFontMetrics().stringWidth(last), top + height + 16);

        int legend = top + 12;
        for (Series series : all) {
            g.setColor(series.colour());
            g.setStroke(series.dashed()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(1.5f));
            int previousX = -1;
            int previousY = -1;
            for (double[] p : series.points()) {
                if (!Double.isFinite(p[1])) {
                    continue;
                }
                int x = LEFT + (int) Math.round((p[0] - minX) / (maxX - minX) * width);
                int y = top + height - (int) Math.round((p[1] - minY) / (maxY - minY) * height);
                if (previousX >= 0) {
                    g.drawLine(previousX, previousY, x, y);
                } else if (series.points().size() == 1) {
                    g.fillOval(x - 2, y - 2, 5, 5);
                }
                previousX = x;
                previousY = y;
            }
            g.drawLine(LEFT + width + 10, legend - 4, LEFT + width + 30, legend - 4);
            g.drawString(series.name(), LEFT + width + 36, legend);
            legend += 16;
        }
        g.setStroke(new BasicStroke(1f));
    }
}
