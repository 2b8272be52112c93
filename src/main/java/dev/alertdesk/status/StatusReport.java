package dev.alertdesk.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of {@code GET /api/status}, in the order listed. Thread-safe when its sections
 * are.
 */
public final class StatusReport {
  private final List<StatusSection> sections;

  /** @param sections the sections, in the order shown */
  public StatusReport(List<StatusSection> sections) {
    this.sections = List.copyOf(sections);
  }

  /**
   * Checks every section now. A section that throws is reported as an error naming the
   * exception's type, never its message (which might hold a URL with credentials).
   *
   * @return {@code {"status": worst level, "sections": {name: {level, summary, details}}}}
   */
  public Map<String, Object> check() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> bySection = new LinkedHashMap<>();
    SectionStatus.Level worst = SectionStatus.Level.OK;
    for (StatusSection section : sections) {
      SectionStatus s;
      try {
        s = section.check();
      } catch (RuntimeException e) {
        s = new SectionStatus(SectionStatus.Level.ERROR,
            "status check failed: " + e.getClass().getSimpleName(), Map.of());
      }
      if (s.level().compareTo(worst) > 0) {
        worst = s.level();
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("level", s.level().wire());
      one.put("summary", s.summary());
      one.put("details", s.details());
      bySection.put(section.name(), one);
    }
    out.put("status", worst == SectionStatus.Level.OFF ? "ok" : worst.wire());
    out.put("sections", bySection);
    return out;
  }

  /** Returns the section names, in order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    sections.forEach(s -> names.add(s.name()));
    return names;
  }
}
