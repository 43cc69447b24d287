package dev.dreamoven.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Charts and contact sheets for evaluation reports, drawn with Java2D into off-screen images, so
 * they work headless (no display is touched; run with {@code -Djava.awt.headless=true} on servers).
 */
public final class Charts {

    /** Series colours: distinguishable, and none of them is the white background. */
    private static final List<Color> SERIES = List.of(
            new Color(0x2850DC), new Color(0xFA8C1E), new Color(0x28B43C), new Color(0xDC2828),
            new Color(0x963CC8), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F));

    private Charts() {
    }

    /**
     * Grouped bar chart: one group per label, one bar per series. {@code seriesValues.get(s)[g]} is
     * series s at label g as a fraction in [0, 1] (clamped), drawn against a 0..100% axis.
     */
    public static BufferedImage barChart(String title, List<String> labels, List<double[]> seriesValues,
            List<String> seriesNames) {
        if (seriesValues.size() != seriesNames.size()) {
            throw new IllegalArgumentException(seriesValues.size() + " series but " + seriesNames.size() + " names");
        }
        for (double[] values : seriesValues) {
            if (values.length != labels.size()) {
                throw new IllegalArgumentException("each series needs " + labels.size() + " values, got " + values.length);
            }
        }
        int groups = Math.max(1, labels.size());
        int series = Math.max(1, seriesValues.size());
        int barWidth = 18;
        int groupWidth = Math.max(series * barWidth + 24, 96);
        int left = 60;
        int legendWidth = 0;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = probe.createGraphics();
        measure.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (String name : seriesNames) {
            legendWidth = Math.max(legendWidth, measure.getFontMetrics().stringWidth(name));
        }
        measure.dispose();
        int right = 20 + 18 + legendWidth + 20;
        int top = 50;
        int plotHeight = 300;
        int bottom = 90;
        int width = left + groups * groupWidth + right;
        int height = top + plotHeight + bottom;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        try {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, left, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            int axisBottom = top + plotHeight;
            for (int pct = 0; pct <= 100; pct += 20) {
                int y = axisBottom - pct * plotHeight / 100;
                g.setColor(new Color(0xDDDDDD));
                g.drawLine(left, y, left + groups * groupWidth, y);
                g.setColor(Color.BLACK);
                String tick = pct + "%";
                g.drawString(tick, left - 6 - fm.stringWidth(tick), y + fm.getAscent() / 2 - 1);
            }
            g.drawLine(left, top, left, axisBottom);
            g.drawLine(left, axisBottom, left + groups * groupWidth, axisBottom);
            for (int gi = 0; gi < labels.size(); gi++) {
                int barsWidth = seriesValues.size() * barWidth;
                int groupX = left + gi * groupWidth + (groupWidth - barsWidth) / 2;
                Font valueFont = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
                for (int s = 0; s < seriesValues.size(); s++) {
                    double v = seriesValues.get(s)[gi];
                    v = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
                    int h = (int) Math.round(v * plotHeight);
                    g.setColor(SERIES.get(s % SERIES.size()));
                    g.fillRect(groupX + s * barWidth, axisBottom - h, barWidth - 2, h);
                    g.setColor(Color.DARK_GRAY);
                    g.setFont(valueFont);
                    String pct = Math.round(v * 100) + "";
                    int tw = g.getFontMetrics().stringWidth(pct);
                    g.drawString(pct, groupX + s * barWidth + (barWidth - 2 - tw) / 2, axisBottom - h - 2);
                }
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                drawWrapped(g, labels.get(gi), left + gi * groupWidth + 4, axisBottom + 16, groupWidth - 8, 4);
            }
            int legendX = left + groups * groupWidth + 20;
            for (int s = 0; s < seriesNames.size(); s++) {
                int y = top + s * 20;
                g.setColor(SERIES.get(s % SERIES.size()));
                g.fillRect(legendX, y, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(seriesNames.get(s), legendX + 18, y + 11);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Pictures in a grid of {@code columns}, each upscaled {@code scale}× (nearest neighbour) with
     * its caption wrapped below. Pictures of different sizes get cells of the largest size.
     */
    public static BufferedImage contactSheet(List<RgbImage> pictures, List<String> captions, int columns, int scale) {
        if (pictures.size() != captions.size()) {
            throw new IllegalArgumentException(pictures.size() + " pictures but " + captions.size() + " captions");
        }
        if (columns < 1 || scale < 1) {
            throw new IllegalArgumentException("columns and scale must be at least 1");
        }
        int cellW = 1;
        int cellH = 1;
        for (RgbImage p : pictures) {
            cellW = Math.max(cellW, p.width() * scale);
            cellH = Math.max(cellH, p.height() * scale);
        }
        int pad = 8;
        int captionHeight = 48;
        int cols = Math.max(1, Math.min(columns, pictures.size()));
        int rows = Math.max(1, (pictures.size() + cols - 1) / cols);
        int width = pad + cols * (cellW + pad);
        int height = pad + rows * (cellH + captionHeight + pad);
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(sheet);
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < pictures.size(); i++) {
                int x = pad + (i % cols) * (cellW + pad);
                int y = pad + (i / cols) * (cellH + captionHeight + pad);
                g.drawImage(PixelArt.toBufferedImage(PixelArt.upscale(pictures.get(i), scale)), x, y, null);
                g.setColor(Color.BLACK);
                drawWrapped(g, captions.get(i), x, y + cellH + 14, cellW, 3);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setStroke(new BasicStroke(1));
        return g;
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int maxWidth, int maxLines) {
        FontMetrics fm = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= maxWidth || line.length() == 0) {
                line.setLength(0);
                line.append(candidate);
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        for (int i = 0; i < Math.min(maxLines, lines.size()); i++) {
            String s = lines.get(i);
            if (i == maxLines - 1 && lines.size() > maxLines) {
                s = s + "…";
            }
            g.drawString(s, x, y + i * (fm.getHeight()));
        }
    }
}
