package dev.alertdesk.graph;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * Draws a {@link ChartSpec} as a {@value #WIDTH}×{@value #HEIGHT} PNG with JFreeChart, headless
 * ({@code java.awt.headless=true}; needs fontconfig and one font). At most {@value #MAX_SERIES}
 * series are drawn, with a legend of the labels that tell them apart and "+N more" past that; a
 * scalar threshold is a dashed red line, threshold series are dashed; {@code startsAt} and
 * {@code endsAt} are vertical markers. NaN and ±Inf samples are skipped (a gap in the line).
 * With more than {@value #HIGHLIGHT_ABOVE} series, the alert's own ({@link ChartSpec#highlight})
 * is drawn bold and the others thin and grey, so the failing instance stands out. Y-axis tick
 * labels get as many significant digits as keep neighbouring ticks apart.
 * Thread-safe: every call builds its own chart.
 */
public final class ChartRenderer {
  /** Image width in pixels. */
  public static final int WIDTH = 1000;
  /** Image height in pixels. */
  public static final int HEIGHT = 400;
  /** Series drawn at most; the legend says "+N more" for the rest. */
  public static final int MAX_SERIES = 8;
  /** Above this many series, the alert's own series is highlighted and the others greyed. */
  public static final int HIGHLIGHT_ABOVE = 3;
  /** The colour of series that are not the alert's own, when one is highlighted. */
  static final Color OTHER_SERIES_COLOR = new Color(0xB4, 0xB4, 0xB4);
  /** The colour of the scalar threshold line. */
  public static final Color THRESHOLD_COLOR = new Color(0xD6, 0x27, 0x28);

  private static final int MAX_LEGEND_CHARS = 90;
  /** Labels always shown in the legend when a series has them: the build it comes from. */
  private static final List<String> BUILD_LABELS = List.of("version", "commit");
  private static final Color[] PALETTE = {
      new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C), new Color(0xFF, 0x7F, 0x0E),
      new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B), new Color(0x17, 0xBE, 0xCF),
      new Color(0xE3, 0x77, 0xC2), new Color(0x7F, 0x7F, 0x7F)};
  private static final Color MARKER_COLOR = new Color(0x55, 0x55, 0x55);
  private static final float[] DASH = {8f, 5f};

  /**
   * An encoded chart and where its data lies in the image, so callers (and tests) can relate
   * pixels to values.
   *
   * @param png the PNG bytes
   * @param dataArea the plot's data area in image pixels
   * @param lowerBound the value at the bottom of the data area
   * @param upperBound the value at the top of the data area
   */
  public record RenderedChart(byte[] png, Rectangle dataArea, double lowerBound,
      double upperBound) {}

  /**
   * Renders a chart.
   *
   * @param spec what to draw
   * @return the PNG and its geometry
   * @throws UncheckedIOException when the PNG cannot be encoded
   */
  public RenderedChart render(ChartSpec spec) {
    TimeZone zone = TimeZone.getTimeZone(spec.zone());
    DateAxis time = new DateAxis("Time (" + spec.zone().getId() + ")", zone, Locale.ENGLISH);
    time.setStandardTickUnits(DateAxis.createStandardDateTickUnits(zone, Locale.ENGLISH));
    time.setRange(spec.from().toEpochMilli(), spec.to().toEpochMilli());
    time.setLowerMargin(0);
    time.setUpperMargin(0);

    List<TimeSeries> drawn = spec.series().subList(0, Math.min(MAX_SERIES, spec.series().size()));
    DefaultXYDataset data = new DefaultXYDataset();
    List<String> names = legendNames(drawn);
    for (int i = 0; i < drawn.size(); i++) {
      data.addSeries(i + ":" + names.get(i), xy(drawn.get(i)));
    }
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    lines.setDrawSeriesLineAsPath(true);
    int highlight = spec.highlight() >= 0 && spec.highlight() < drawn.size()
        && drawn.size() > HIGHLIGHT_ABOVE ? spec.highlight() : -1;
    for (int i = 0; i < drawn.size(); i++) {
      lines.setSeriesPaint(i, seriesColor(i, highlight));
      lines.setSeriesStroke(i, seriesStroke(i, highlight));
      // A series of one or two samples would be an invisible dot or a stub: mark its points.
      lines.setSeriesShapesVisible(i, drawn.get(i).values().length < 3);
    }

    NumberAxis values = new NumberAxis();
    values.setNumberFormatOverride(new FunctionFormat(spec.valueFormat(), values));
    double[] range = range(drawn, spec.thresholdSeries(), spec.threshold());
    values.setRange(range[0], range[1]);

    XYPlot plot = new XYPlot(data, time, values, lines);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));

    if (!spec.thresholdSeries().isEmpty()) {
      DefaultXYDataset thresholds = new DefaultXYDataset();
      XYLineAndShapeRenderer dashed = new XYLineAndShapeRenderer(true, false);
      dashed.setDrawSeriesLineAsPath(true);
      List<TimeSeries> limited = spec.thresholdSeries().subList(0,
          Math.min(MAX_SERIES, spec.thresholdSeries().size()));
      for (int i = 0; i < limited.size(); i++) {
        thresholds.addSeries("threshold " + i, xy(limited.get(i)));
        dashed.setSeriesPaint(i, THRESHOLD_COLOR);
        dashed.setSeriesStroke(i, dashedStroke());
      }
      plot.setDataset(1, thresholds);
      plot.setRenderer(1, dashed);
    }
    if (spec.threshold() != null) {
      ValueMarker line = new ValueMarker(spec.threshold(), THRESHOLD_COLOR, dashedStroke());
      line.setLabel("threshold " + spec.valueFormat().apply(spec.threshold()));
      line.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      line.setLabelPaint(THRESHOLD_COLOR);
      line.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addRangeMarker(line);
    }
    addTimeMarker(plot, spec, spec.startsAt(), "firing");
    addTimeMarker(plot, spec, spec.endsAt(), "resolved");
    plot.setFixedLegendItems(legend(names, spec.series().size() - drawn.size(),
        !spec.thresholdSeries().isEmpty() || spec.threshold() != null, highlight));

    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setTitle(new TextTitle(clip(spec.title(), 140),
        new Font(Font.SANS_SERIF, Font.BOLD, 15)));
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setPosition(RectangleEdge.BOTTOM);
    chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));

    ChartRenderingInfo info = new ChartRenderingInfo();
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB,
        info);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      ChartUtils.writeBufferedImageAsPNG(out, image);
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode the chart as PNG", e);
    }
    Rectangle2D area = info.getPlotInfo().getDataArea();
    return new RenderedChart(out.toByteArray(), area.getBounds(), range[0], range[1]);
  }

  private static void addTimeMarker(XYPlot plot, ChartSpec spec, java.time.@org.jspecify.annotations.Nullable Instant at,
      String label) {
    if (at == null || at.isBefore(spec.from()) || at.isAfter(spec.to())) {
      return;
    }
    ValueMarker marker = new ValueMarker(at.toEpochMilli(), MARKER_COLOR, new BasicStroke(1.2f));
    marker.setLabel(label);
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    marker.setLabelPaint(MARKER_COLOR);
    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    plot.addDomainMarker(marker);
  }

  private static BasicStroke dashedStroke() {
    return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f);
  }

  /** Samples as JFreeChart's {@code double[2][n]}; NaN and ±Inf become NaN, a gap. */
  private static double[][] xy(TimeSeries s) {
    long[] t = s.timesMillis();
    double[] v = s.values();
    double[][] xy = new double[2][t.length];
    for (int i = 0; i < t.length; i++) {
      xy[0][i] = t[i];
      xy[1][i] = Double.isFinite(v[i]) ? v[i] : Double.NaN;
    }
    return xy;
  }

  /** The value range: finite samples and the threshold, with a 5 % margin; 0..1 when empty. */
  static double[] range(List<TimeSeries> series, List<TimeSeries> thresholds,
      @org.jspecify.annotations.Nullable Double threshold) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    List<TimeSeries> all = new ArrayList<>(series);
    all.addAll(thresholds);
    for (TimeSeries s : all) {
      for (double v : s.values()) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (threshold != null && Double.isFinite(threshold)) {
      lo = Math.min(lo, threshold);
      hi = Math.max(hi, threshold);
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    if (lo == hi) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      return new double[] {lo - pad, hi + pad};
    }
    double margin = (hi - lo) * 0.05;
    return new double[] {lo - margin, hi + margin};
  }

  /**
   * Legend names: the labels whose values differ between the series ({@code {pod="a"}}); for a
   * single series, all its labels but {@code __name__}; {@code version} and {@code commit}
   * always, last; clipped to {@value #MAX_LEGEND_CHARS}.
   */
  static List<String> legendNames(List<TimeSeries> series) {
    Set<String> keys = new TreeSet<>();
    series.forEach(s -> keys.addAll(s.labels().keySet()));
    Set<String> distinguishing = new TreeSet<>();
    for (String key : keys) {
      String first = series.get(0).labels().get(key);
      for (TimeSeries s : series) {
        if (!java.util.Objects.equals(first, s.labels().get(key))) {
          distinguishing.add(key);
          break;
        }
      }
    }
    if (series.size() == 1) {
      distinguishing.addAll(keys);
      distinguishing.remove("__name__");
    }
    // The build of each series is always worth reading (Autometrics' build_info labels), last.
    List<String> order = new ArrayList<>(distinguishing);
    order.removeAll(BUILD_LABELS);
    for (String build : BUILD_LABELS) {
      if (keys.contains(build)) {
        order.add(build);
      }
    }
    List<String> names = new ArrayList<>();
    for (TimeSeries s : series) {
      Map<String, String> shown = new LinkedHashMap<>();
      for (String key : order) {
        String v = s.labels().get(key);
        if (v != null) {
          shown.put(key, v);
        }
      }
      StringBuilder name = new StringBuilder();
      shown.forEach((k, v) -> name.append(name.length() == 0 ? "" : ", ").append(k).append("=\"")
          .append(v).append('"'));
      String text = name.length() == 0 ? s.labels().getOrDefault("__name__", "value")
          : "{" + name + "}";
      names.add(clip(text, MAX_LEGEND_CHARS));
    }
    return names;
  }

  /** The colour of series {@code i}: the palette, or bold and grey when one is highlighted. */
  static Color seriesColor(int i, int highlight) {
    if (highlight < 0) {
      return PALETTE[i % PALETTE.length];
    }
    return i == highlight ? PALETTE[0] : OTHER_SERIES_COLOR;
  }

  /** The line width of series {@code i}: 1.6 px, or 2.8 px for the highlighted one and 1 px else. */
  static BasicStroke seriesStroke(int i, int highlight) {
    if (highlight < 0) {
      return new BasicStroke(1.6f);
    }
    return new BasicStroke(i == highlight ? 2.8f : 1.0f);
  }

  private static LegendItemCollection legend(List<String> names, int more, boolean threshold,
      int highlight) {
    LegendItemCollection items = new LegendItemCollection();
    Shape line = new Line2D.Double(-7, 0, 7, 0);
    for (int i = 0; i < names.size(); i++) {
      items.add(lineItem(names.get(i), line, seriesColor(i, highlight),
          new BasicStroke(i == highlight ? 3f : 2f)));
    }
    if (more > 0) {
      LegendItem item = new LegendItem("+" + more + " more", null, null, null, false,
          new Rectangle(0, 0, 1, 1), false, Color.WHITE, false, Color.WHITE,
          new BasicStroke(0f), false, line, new BasicStroke(0f), Color.WHITE);
      items.add(item);
    }
    if (threshold) {
      items.add(lineItem("threshold", line, THRESHOLD_COLOR, dashedStroke()));
    }
    return items;
  }

  private static LegendItem lineItem(String label, Shape line, Paint paint, BasicStroke stroke) {
    return new LegendItem(label, null, null, null, false, new Rectangle(0, 0, 1, 1), false,
        paint, false, paint, stroke, true, line, stroke, paint);
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /**
   * A {@link NumberFormat} that delegates to the value formatter (y-axis tick labels); a
   * {@link TickFormat} gets the significant digits that the axis's current tick size needs, so
   * neighbouring ticks never read the same.
   */
  static final class FunctionFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private final transient DoubleFunction<String> format;
    private final transient NumberAxis axis;

    FunctionFormat(DoubleFunction<String> format, NumberAxis axis) {
      this.format = format;
      this.axis = axis;
    }

    /**
     * Significant digits that tell apart values one tick apart: 3, or one more than the decades
     * between the axis's largest magnitude and its tick size (at most 12).
     */
    static int digits(double lower, double upper, double tickSize) {
      double magnitude = Math.max(Math.abs(lower), Math.abs(upper));
      if (!(tickSize > 0) || !(magnitude > 0) || !Double.isFinite(magnitude / tickSize)) {
        return 3;
      }
      int needed = (int) Math.ceil(Math.log10(magnitude / tickSize)) + 1;
      return Math.max(3, Math.min(12, needed));
    }

    private String text(double number) {
      if (format instanceof TickFormat tick) {
        return tick.apply(number, digits(axis.getLowerBound(), axis.getUpperBound(),
            axis.getTickUnit().getSize()));
      }
      return format.apply(number);
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
      return toAppendTo.append(text(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
      return toAppendTo.append(text(number));
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
      throw new UnsupportedOperationException("format only");
    }
  }
}
