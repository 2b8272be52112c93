package dev.alertdesk.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ChartRendererTest {
  private static final Instant FROM = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant TO = FROM.plusSeconds(3600);
  private final ChartRenderer renderer = new ChartRenderer();

  /** A series of 500 points from FROM to TO: value(i). */
  private static TimeSeries series(Map<String, String> labels, java.util.function.IntToDoubleFunction value) {
    int n = 500;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = FROM.toEpochMilli() + i * 3600_000L / (n - 1);
      v[i] = value.applyAsDouble(i);
    }
    return new TimeSeries(labels, t, v);
  }

  private static ChartSpec spec(List<TimeSeries> series, Double threshold, Instant startsAt,
      Instant endsAt) {
    return new ChartSpec("HighErrorRate · rate(errors_total[5m])", series, List.of(), threshold,
        startsAt, endsAt, FROM, TO, ZoneId.of("Europe/Berlin"), v -> String.format("%.2f", v));
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    // Kept for a look: target/charts-test/<n>.png
    java.nio.file.Path dir = java.nio.file.Path.of("target", "charts-test");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.write(dir.resolve(System.nanoTime() + ".png"), png);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).isNotNull();
    return image;
  }

  private static boolean near(int rgb, Color c) {
    Color p = new Color(rgb);
    return Math.abs(p.getRed() - c.getRed()) < 40 && Math.abs(p.getGreen() - c.getGreen()) < 40
        && Math.abs(p.getBlue() - c.getBlue()) < 40;
  }

  @Test
  void pngDecodesAt1000x400WithTheThresholdLineAtItsValue() throws IOException {
    TimeSeries a = series(Map.of("__name__", "x", "pod", "a"), i -> 0.2 + 0.6 * i / 499.0);
    TimeSeries b = series(Map.of("__name__", "x", "pod", "b"), i -> 0.1);
    ChartRenderer.RenderedChart chart = renderer.render(
        spec(List.of(a, b), 0.5, FROM.plusSeconds(1800), null));
    BufferedImage image = decode(chart.png());
    assertThat(image.getWidth()).isEqualTo(ChartRenderer.WIDTH);
    assertThat(image.getHeight()).isEqualTo(ChartRenderer.HEIGHT);

    Rectangle area = chart.dataArea();
    assertThat(chart.lowerBound()).isLessThan(0.1);
    assertThat(chart.upperBound()).isGreaterThan(0.8);
    int y = (int) Math.round(area.getMinY() + area.getHeight()
        * (chart.upperBound() - 0.5) / (chart.upperBound() - chart.lowerBound()));
    // The dashed line: many threshold-coloured pixels on its row (±1 for rounding), across
    // the whole width of the data area, and none a few rows away.
    int onLine = 0;
    int farLeft = Integer.MAX_VALUE;
    int farRight = 0;
    for (int x = area.x; x < area.x + area.width; x++) {
      for (int dy = -1; dy <= 1; dy++) {
        if (near(image.getRGB(x, y + dy), ChartRenderer.THRESHOLD_COLOR)) {
          onLine++;
          farLeft = Math.min(farLeft, x);
          farRight = Math.max(farRight, x);
          break;
        }
      }
    }
    assertThat(onLine).isGreaterThan(area.width / 3);
    assertThat(farLeft).isLessThan(area.x + area.width / 10);
    assertThat(farRight).isGreaterThan(area.x + area.width * 9 / 10);
    int offLine = 0;
    for (int x = area.x; x < area.x + area.width; x++) {
      if (near(image.getRGB(x, y + 12), ChartRenderer.THRESHOLD_COLOR)) {
        offLine++;
      }
    }
    assertThat(offLine).isLessThan(area.width / 20);
  }

  @Test
  void startsAtMarkerIsAVerticalLineAtItsTime() throws IOException {
    TimeSeries a = series(Map.of("pod", "a"), i -> 1.0);
    Instant startsAt = FROM.plusSeconds(900);
    ChartRenderer.RenderedChart chart = renderer.render(spec(List.of(a), null, startsAt, null));
    BufferedImage image = decode(chart.png());
    Rectangle area = chart.dataArea();
    int x = (int) Math.round(area.getMinX() + area.getWidth() * 900 / 3600.0);
    int grey = 0;
    for (int y = area.y + 20; y < area.y + area.height; y++) {
      for (int dx = -1; dx <= 1; dx++) {
        Color p = new Color(image.getRGB(x + dx, y));
        if (p.getRed() == p.getGreen() && p.getGreen() == p.getBlue() && p.getRed() < 0x80) {
          grey++;
          break;
        }
      }
    }
    assertThat(grey).isGreaterThan((area.height - 20) * 8 / 10);
  }

  @Test
  void nanAndInfinitiesAreSkippedAndDoNotBreakTheAxis() throws IOException {
    TimeSeries spiky = series(Map.of("pod", "a"), i -> switch (i % 50) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      default -> 3.0 + (i % 5);
    });
    ChartRenderer.RenderedChart chart = renderer.render(spec(List.of(spiky), null, null, null));
    decode(chart.png());
    assertThat(chart.lowerBound()).isBetween(2.0, 3.0);
    assertThat(chart.upperBound()).isBetween(7.0, 8.0);
  }

  @Test
  void onlyEightSeriesAreDrawnWithLegendNamesFromDistinguishingLabels() throws IOException {
    List<TimeSeries> many = new ArrayList<>();
    for (int s = 0; s < 12; s++) {
      int k = s;
      many.add(series(Map.of("__name__", "up", "job", "node", "instance", "host-" + s + ":9100"),
          i -> k + Math.sin(i / 20.0)));
    }
    assertThat(ChartRenderer.legendNames(many.subList(0, 2)))
        .containsExactly("{instance=\"host-0:9100\"}", "{instance=\"host-1:9100\"}");
    assertThat(ChartRenderer.legendNames(many.subList(0, 1)))
        .containsExactly("{instance=\"host-0:9100\", job=\"node\"}");
    ChartRenderer.RenderedChart chart = renderer.render(spec(many, null, null, null));
    decode(chart.png());
    // Series 8..11 are not drawn: the axis covers only the first eight (values 0..8).
    assertThat(chart.upperBound()).isLessThan(9);
  }

  @Test
  void anEmptyChartStillRenders() throws IOException {
    ChartRenderer.RenderedChart chart = renderer.render(spec(List.of(), null, null, null));
    assertThat(decode(chart.png()).getWidth()).isEqualTo(1000);
  }

  @Test
  void aNarrowRangeKeepsDistinctTickLabels() {
    // A flat series near 0.167: three significant digits would label every tick "0.167".
    dev.alertdesk.enrich.ValueFormat format = dev.alertdesk.enrich.ValueFormat.plain();
    assertThat(format.apply(0.166661)).isEqualTo(format.apply(0.166672)).isEqualTo("0.167");
    org.jfree.chart.axis.NumberAxis axis = new org.jfree.chart.axis.NumberAxis();
    axis.setRange(0.16666, 0.16668);
    axis.setNumberFormatOverride(new ChartRenderer.FunctionFormat(format, axis));
    java.awt.Graphics2D g2 = new BufferedImage(1000, 400, BufferedImage.TYPE_INT_RGB)
        .createGraphics();
    List<String> labels = axis.refreshTicks(g2, new org.jfree.chart.axis.AxisState(),
            new java.awt.geom.Rectangle2D.Double(60, 10, 900, 300),
            org.jfree.chart.ui.RectangleEdge.LEFT).stream()
        .map(t -> ((org.jfree.chart.axis.ValueTick) t).getText()).toList();

    assertThat(labels).hasSizeGreaterThan(2).doesNotHaveDuplicates();
    assertThat(ChartRenderer.FunctionFormat.digits(0.16666, 0.16668, 0.000002)).isEqualTo(6);
    assertThat(ChartRenderer.FunctionFormat.digits(0, 100, 20)).isEqualTo(3);
  }

  @Test
  void withMoreThanThreeSeriesTheAlertsOwnIsBoldAndTheOthersGrey() throws IOException {
    List<TimeSeries> five = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      int level = k;
      five.add(series(Map.of("pod", "p" + k), i -> level + 0.5 * Math.sin(i / 20.0)));
    }
    Color green = new Color(0x2C, 0xA0, 0x2C);
    Color blue = new Color(0x1F, 0x77, 0xB4);
    ChartSpec plain = spec(five, null, null, null);
    ChartSpec highlighted = new ChartSpec(plain.title(), five, List.of(), null, null, null, FROM, TO,
        ZoneId.of("UTC"), v -> String.format("%.2f", v), 0);

    BufferedImage before = decode(renderer.render(plain).png());
    BufferedImage after = decode(renderer.render(highlighted).png());

    assertThat(count(before, green)).isGreaterThan(100);
    assertThat(count(after, green)).isZero();
    assertThat(count(after, blue)).isGreaterThan(count(before, blue));
    assertThat(count(after, ChartRenderer.OTHER_SERIES_COLOR)).isGreaterThan(300);
    assertThat(ChartRenderer.seriesStroke(0, 0).getLineWidth())
        .isGreaterThan(ChartRenderer.seriesStroke(1, 0).getLineWidth());
  }

  private static int count(BufferedImage image, Color c) {
    int n = 0;
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        Color p = new Color(image.getRGB(x, y));
        if (Math.abs(p.getRed() - c.getRed()) < 12 && Math.abs(p.getGreen() - c.getGreen()) < 12
            && Math.abs(p.getBlue() - c.getBlue()) < 12) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void theLegendAlwaysNamesTheBuildVersionAndCommitLast() {
    TimeSeries list = series(Map.of("function", "list", "module", "animals", "version", "1.4.2",
        "commit", "a1b2c3d"), i -> 0.98);
    TimeSeries get = series(Map.of("function", "get", "module", "animals", "version", "1.4.2",
        "commit", "a1b2c3d"), i -> 1.0);
    assertThat(ChartRenderer.legendNames(List.of(list, get))).containsExactly(
        "{function=\"list\", version=\"1.4.2\", commit=\"a1b2c3d\"}",
        "{function=\"get\", version=\"1.4.2\", commit=\"a1b2c3d\"}");
  }
}
