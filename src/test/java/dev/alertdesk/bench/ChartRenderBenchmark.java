package dev.alertdesk.bench;

import dev.alertdesk.enrich.ValueFormat;
import dev.alertdesk.graph.ChartRenderer;
import dev.alertdesk.graph.ChartSpec;
import dev.alertdesk.graph.TimeSeries;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Render time of one graph PNG ({@link ChartRenderer}, 1000×400) for 1 and 8 series of 500
 * points each, with a threshold line and a {@code startsAt} marker, as the outbox worker draws
 * it. The baseline, measured in the same run, is the floor of any graph: PNG-encoding a
 * 1000×400 image that holds the same number of line segments drawn with plain Java2D. Sample-time
 * mode, so JMH reports p50 and p99. Run with {@code bash bench/chart-render.sh}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgs = {"-Djava.awt.headless=true", "-XX:+UseSerialGC", "-Xmx256m"})
@State(Scope.Thread)
public class ChartRenderBenchmark {
  private static final int POINTS = 500;
  private static final Instant TO = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant FROM = TO.minusSeconds(3600);

  /** Series per graph. */
  @Param({"1", "8"})
  public int series;

  private ChartRenderer renderer;
  private ChartSpec spec;

  /** Builds the series: random walks, 500 points over one hour. */
  @Setup
  public void setUp() {
    renderer = new ChartRenderer();
    Random random = new Random(42);
    List<TimeSeries> all = new ArrayList<>();
    for (int s = 0; s < series; s++) {
      long[] t = new long[POINTS];
      double[] v = new double[POINTS];
      double value = 0.3 + s * 0.05;
      for (int i = 0; i < POINTS; i++) {
        t[i] = FROM.toEpochMilli() + i * 3_600_000L / (POINTS - 1);
        value = Math.max(0, value + (random.nextDouble() - 0.5) * 0.04);
        v[i] = value;
      }
      all.add(new TimeSeries(Map.of("__name__", "http_errors_ratio", "job", "api",
          "instance", "api-" + s + ":8080"), t, v));
    }
    spec = new ChartSpec("HighErrorRate · http_errors_ratio{job=\"api\"}", all, List.of(), 0.5,
        FROM.plusSeconds(2400), null, FROM, TO, ZoneId.of("UTC"),
        ValueFormat.of(ValueFormat.Unit.RATIO));
  }

  /** One graph: JFreeChart drawing plus PNG encoding. */
  @Benchmark
  public byte[] render() {
    return renderer.render(spec).png();
  }

  /** Baseline: the same number of line segments drawn with Java2D, then PNG-encoded. */
  @Benchmark
  public byte[] baselineJava2dAndPng() throws IOException {
    BufferedImage image = new BufferedImage(ChartRenderer.WIDTH, ChartRenderer.HEIGHT,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, ChartRenderer.WIDTH, ChartRenderer.HEIGHT);
    g.setColor(Color.BLUE);
    for (TimeSeries s : spec.series()) {
      double[] v = s.values();
      for (int i = 1; i < v.length; i++) {
        g.drawLine((i - 1) * 2, (int) (400 - v[i - 1] * 400), i * 2, (int) (400 - v[i] * 400));
      }
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
