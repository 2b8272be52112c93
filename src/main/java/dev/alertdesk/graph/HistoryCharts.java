package dev.alertdesk.graph;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYStepAreaRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts of incident history as PNG images: incidents per day for the insights page, and the
 * number of firing alerts over an incident's life. Rendered with JFreeChart in headless mode
 * ({@code -Djava.awt.headless=true}); needs fontconfig and one font on the machine.
 */
public final class HistoryCharts {
  private static final Color BAR = new Color(0x1f, 0x5f, 0xa8);
  private static final Color FIRING = new Color(0xc0, 0x39, 0x2b);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

  private HistoryCharts() {}

  /**
   * Renders a bar per day.
   *
   * @param title the chart title
   * @param perDay a count per day, in the order to draw; may be empty
   * @param widthPixels image width, 100 to 4000
   * @param heightPixels image height, 100 to 4000
   * @return PNG bytes
   * @throws IllegalArgumentException for a size out of range
   */
  public static byte[] perDay(String title, Map<LocalDate, Long> perDay, int widthPixels,
      int heightPixels) {
    checkSize(widthPixels, heightPixels);
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    DateTimeFormatter day = DateTimeFormatter.ofPattern("MM-dd");
    perDay.forEach((d, n) -> data.addValue(n, "incidents", d.format(day)));
    CategoryPlot plot = new CategoryPlot();
    plot.setDataset(data);
    org.jfree.chart.axis.CategoryAxis x = new org.jfree.chart.axis.CategoryAxis("day (UTC)");
    x.setCategoryLabelPositions(perDay.size() > 10
        ? CategoryLabelPositions.UP_90 : CategoryLabelPositions.STANDARD);
    plot.setDomainAxis(x);
    NumberAxis y = new NumberAxis("incidents");
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    plot.setRangeAxis(y);
    BarRenderer bars = new BarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, BAR);
    plot.setRenderer(bars);
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return png(new JFreeChart(title, TITLE, plot, false), widthPixels, heightPixels);
  }

  /**
   * Renders a step chart of how many alerts fired at each moment.
   *
   * @param title the chart title
   * @param periods firing periods; a null end means still firing at {@code until}
   * @param until the right edge of the chart, normally now or the incident's end
   * @param widthPixels image width, 100 to 4000
   * @param heightPixels image height, 100 to 4000
   * @return PNG bytes
   * @throws IllegalArgumentException for a size out of range
   */
  public static byte[] firingAlerts(String title, List<Period> periods, Instant until,
      int widthPixels, int heightPixels) {
    checkSize(widthPixels, heightPixels);
    java.util.TreeMap<Long, Integer> deltas = new java.util.TreeMap<>();
    for (Period p : periods) {
      deltas.merge(p.start().toEpochMilli(), 1, Integer::sum);
      Instant end = p.end() == null || p.end().isAfter(until) ? until : p.end();
      deltas.merge(end.toEpochMilli(), -1, Integer::sum);
    }
    XYSeries series = new XYSeries("firing alerts", true, false);
    int level = 0;
    for (Map.Entry<Long, Integer> e : deltas.entrySet()) {
      level += e.getValue();
      series.addOrUpdate(e.getKey().doubleValue(), level);
    }
    if (series.isEmpty()) {
      series.add(until.toEpochMilli(), 0);
    }
    DateAxis x = new DateAxis("time (UTC)");
    x.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
    if (deltas.size() == 1) {
      x.setRange(new Date(until.toEpochMilli() - 60_000), new Date(until.toEpochMilli() + 60_000));
    }
    NumberAxis y = new NumberAxis("firing alerts");
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    y.setLowerBound(0);
    XYStepAreaRenderer renderer = new XYStepAreaRenderer(XYStepAreaRenderer.AREA_AND_SHAPES);
    renderer.setSeriesPaint(0, FIRING);
    XYPlot plot = new XYPlot(new XYSeriesCollection(series), x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return png(new JFreeChart(title, TITLE, plot, false), widthPixels, heightPixels);
  }

  /**
   * One firing period.
   *
   * @param start when it started
   * @param end when it ended, or null while it fires
   */
  public record Period(Instant start, @org.jspecify.annotations.Nullable Instant end) {}

  private static void checkSize(int width, int height) {
    if (width < 100 || width > 4000 || height < 100 || height > 4000) {
      throw new IllegalArgumentException("chart size must be 100 to 4000 pixels per side");
    }
  }

  private static byte[] png(JFreeChart chart, int width, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
