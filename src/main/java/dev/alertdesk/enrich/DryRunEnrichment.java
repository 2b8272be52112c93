package dev.alertdesk.enrich;

import dev.alertdesk.config.Settings;
import dev.alertdesk.delivery.Enrichment;
import dev.alertdesk.delivery.OutboxJob;
import dev.alertdesk.delivery.SlackCallResult;
import dev.alertdesk.delivery.SlackGateway;
import dev.alertdesk.graph.ChartRenderer;
import dev.alertdesk.incident.IncidentRepository.SlackMessageRef;
import dev.alertdesk.incident.OutgoingMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the outbox worker would add to each Slack message and what a graph intent would put into
 * the thread, for {@code replay}: the service's own {@link IncidentEnricher} and
 * {@link IncidentCharts}, querying the same Prometheus ({@code PROMETHEUS_URL}, the
 * {@code prometheus} section), over enrichment jobs and charts kept in memory (the PNGs in a
 * temporary directory deleted on {@link #close()}) and a Slack gateway that records the call
 * instead of sending it. Not thread-safe.
 */
public final class DryRunEnrichment implements AutoCloseable {
  /** The channel ID and parent ts a dry run pretends Slack answered with. */
  public static final String CHANNEL_ID = "C0DRYRUN";
  /** The parent ts a dry run pretends Slack answered with. */
  public static final String PARENT_TS = "0000000000.000001";

  private final IncidentEnricher enricher;
  private final RecordingSlack slack = new RecordingSlack();
  private final Path directory;

  private DryRunEnrichment(Settings settings, IncidentLookup incidents, Clock clock,
      MeterRegistry metrics) throws IOException {
    this.directory = Files.createTempDirectory("alertdesk-replay-charts-");
    PrometheusDatasources prometheus = new PrometheusDatasources(new PrometheusClient(
        settings.prometheusUrl(), settings.graphs().prometheusTimeout(), clock, metrics),
        settings.prometheusDatasources(), clock, metrics);
    IncidentCharts charts = new IncidentCharts(incidents, prometheus, new ChartRenderer(),
        new TemporaryChartRepository(directory, clock), new InMemoryEnrichmentJobs(),
        settings.graphs(), clock, metrics);
    String baseUrl = settings.baseUrl();
    if (settings.graphs().imageDelivery() == dev.alertdesk.config.GraphSettings.ImageDelivery.URL
        && baseUrl == null) {
      baseUrl = "https://alertdesk.invalid";
    }
    this.enricher = new IncidentEnricher(incidents, charts, slack, settings.graphs(), baseUrl,
        settings.explorerUrl(), metrics);
  }

  /**
   * Builds the dry-run enrichment from the service's settings.
   *
   * @param settings the settings the service would run with
   * @param incidents the dry run's incidents
   * @param clock the dry run's clock
   * @param metrics where the Prometheus client and renderer count (a throwaway registry)
   * @throws UncheckedIOException when no temporary directory can be made
   */
  public static DryRunEnrichment create(Settings settings, IncidentLookup incidents, Clock clock,
      MeterRegistry metrics) {
    try {
      return new DryRunEnrichment(settings, incidents, clock, metrics);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for charts", e);
    }
  }

  /** Returns the outbox job the worker would send for this intent of the incident. */
  public OutboxJob job(long incidentId, OutgoingMessage intent) {
    return new OutboxJob(0, incidentId, intent, null, 0, Instant.EPOCH);
  }

  /**
   * Returns what the worker would add to a parent post or update: the current value (or
   * "metrics unavailable"), the Explorer link and, with {@code IMAGE_DELIVERY=url}, the image.
   */
  public Enrichment.ParentContext parentContext(long incidentId, OutgoingMessage intent) {
    return enricher.parentContext(job(incidentId, intent));
  }

  /**
   * Returns what a graph intent would put into the incident's thread: the upload of its chart,
   * or a note (no query, no data, metrics unavailable).
   */
  public Sent graph(long incidentId, OutgoingMessage intent) {
    slack.lastUpload = null;
    Enrichment.GraphResult result = enricher.graph(job(incidentId, intent),
        new SlackMessageRef(intent.channel(), CHANNEL_ID, PARENT_TS));
    return new Sent(result.method(), result.sentPayloadJson(), slack.lastUpload);
  }

  /**
   * What a graph intent sent.
   *
   * @param method {@code files.uploadV2}, {@code chat.postMessage}, or {@code none}
   * @param payloadJson the message put into the thread (for an upload, its comment and the image),
   *     or null when nothing was sent
   * @param upload the upload made, or null
   */
  public record Sent(String method, @Nullable String payloadJson, @Nullable Upload upload) {}

  /**
   * A file upload.
   *
   * @param fileName e.g. {@code HighLatency-firing.png}
   * @param title the file title
   * @param bytes the PNG's size in bytes
   * @param initialComment the comment posted with it, or null
   */
  public record Upload(String fileName, String title, int bytes,
      @Nullable String initialComment) {}

  /** Deletes the temporary charts. */
  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory; the system cleans it up eventually
    }
  }

  /** Answers every call as delivered and keeps the last upload. */
  private static final class RecordingSlack implements SlackGateway {
    private @Nullable Upload lastUpload;

    @Override
    public SlackCallResult post(String channel, @Nullable String threadTs, String payloadJson) {
      return SlackCallResult.delivered(CHANNEL_ID, PARENT_TS);
    }

    @Override
    public SlackCallResult update(String channelId, String ts, String payloadJson) {
      return SlackCallResult.delivered(channelId, ts);
    }

    @Override
    public SlackCallResult upload(String channelId, String threadTs, String fileName,
        String title, byte[] data, @Nullable String initialComment) {
      lastUpload = new Upload(fileName, title, data.length, initialComment);
      return SlackCallResult.delivered(null, null);
    }
  }
}
