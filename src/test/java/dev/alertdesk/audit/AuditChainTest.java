package dev.alertdesk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit hash chain: recomputed from its definition and broken by any edit. */
class AuditChainTest {
  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

  private static AuditRecord row(long id, String prev, String user, String error) {
    AuditRecord unsigned = new AuditRecord(id, T.plusSeconds(id), "U" + id, user, "silence", 7L,
        "{\"matchers\":[\"alertname=\\\"X\\\"\"]}", "{\"duration\":\"1h\"}", "success", error,
        prev, "");
    return withHash(unsigned, AuditChain.hash(prev, unsigned));
  }

  private static AuditRecord withHash(AuditRecord r, String hash) {
    return new AuditRecord(r.id(), r.at(), r.userId(), r.userName(), r.action(), r.incidentId(),
        r.targetJson(), r.parametersJson(), r.result(), r.error(), r.prevHash(), hash);
  }

  private static List<AuditRecord> chain(int n) {
    List<AuditRecord> rows = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditRecord r = row(i, prev, "user" + i, i % 2 == 0 ? null : "e" + i);
      rows.add(r);
      prev = r.hash();
    }
    return rows;
  }

  @Test
  void theHashIsSha256OfThePreviousHashAndTheCanonicalRow() throws Exception {
    AuditRecord r = row(1, AuditChain.GENESIS, "alice", null);
    String canonical = "[1," + T.plusSeconds(1).toEpochMilli() + ",\"U1\",\"alice\",\"silence\",7,"
        + "\"{\\\"matchers\\\":[\\\"alertname=\\\\\\\"X\\\\\\\"\\\"]}\","
        + "\"{\\\"duration\\\":\\\"1h\\\"}\",\"success\",null]";
    assertThat(AuditChain.canonical(r)).isEqualTo(canonical);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(
        (AuditChain.GENESIS + canonical).getBytes(StandardCharsets.UTF_8));
    assertThat(r.hash()).isEqualTo(HexFormat.of().formatHex(expected)).hasSize(64);
  }

  @Test
  void anIntactChainVerifies() {
    List<AuditRecord> rows = chain(5);
    assertThat(AuditChain.verify(rows, rows.get(4).hash(), 5)).isEmpty();
    assertThat(AuditChain.verify(List.of(), AuditChain.GENESIS, 0)).isEmpty();
  }

  @Test
  void anEditedRowIsNamed() {
    List<AuditRecord> rows = new ArrayList<>(chain(5));
    AuditRecord r = rows.get(2);
    rows.set(2, new AuditRecord(r.id(), r.at(), r.userId(), "mallory", r.action(), r.incidentId(),
        r.targetJson(), r.parametersJson(), r.result(), r.error(), r.prevHash(), r.hash()));
    assertThat(AuditChain.verify(rows, rows.get(4).hash(), 5))
        .hasValueSatisfying(b -> assertThat(b.rowId()).isEqualTo(3));
  }

  @Test
  void aRowWhoseHashWasRecomputedBreaksTheNextRow() {
    List<AuditRecord> rows = new ArrayList<>(chain(5));
    AuditRecord r = rows.get(1);
    AuditRecord forged = new AuditRecord(r.id(), r.at(), r.userId(), "mallory", r.action(),
        r.incidentId(), r.targetJson(), r.parametersJson(), r.result(), r.error(), r.prevHash(), "");
    rows.set(1, withHash(forged, AuditChain.hash(r.prevHash(), forged)));
    assertThat(AuditChain.verify(rows, rows.get(4).hash(), 5))
        .hasValueSatisfying(b -> assertThat(b.rowId()).isEqualTo(3));
  }

  @Test
  void aDeletedRowIsNamedAtTheRowAfterIt() {
    List<AuditRecord> rows = new ArrayList<>(chain(5));
    String head = rows.get(4).hash();
    rows.remove(1);
    assertThat(AuditChain.verify(rows, head, 5))
        .hasValueSatisfying(b -> assertThat(b.rowId()).isEqualTo(3));
  }

  @Test
  void aDeletedLastRowIsFoundThroughTheHead() {
    List<AuditRecord> rows = new ArrayList<>(chain(5));
    String head = rows.get(4).hash();
    rows.remove(4);
    assertThat(AuditChain.verify(rows, head, 5))
        .hasValueSatisfying(b -> assertThat(b.rowId()).isEqualTo(5));
  }
}
