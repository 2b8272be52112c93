package dev.alertdesk.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The hash chain of the audit log. Each row's hash is {@code SHA-256(prev_hash || canonical
 * row)}, hex-encoded, where {@code prev_hash} is the previous row's hash (64 zeros for the first
 * row) as UTF-8 text and the canonical row is the JSON array {@code [id, at_epoch_millis,
 * user_id, user_name, action, incident_id, target_json, parameters_json, result, error]} as UTF-8
 * (Jackson, no whitespace). Editing any column of a row, or deleting or reordering rows, breaks
 * the chain at that row. Pure and thread-safe.
 */
public final class AuditChain {
  /** The {@code prev_hash} of the first row: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditChain() {}

  /**
   * Computes a row's hash.
   *
   * @param prevHash the previous row's hash, or {@link #GENESIS}
   * @param row the row; its own {@code prevHash} and {@code hash} are ignored
   * @return lower-case hex SHA-256
   */
  public static String hash(String prevHash, AuditRecord row) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    sha256.update(prevHash.getBytes(StandardCharsets.UTF_8));
    sha256.update(canonical(row).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** Returns the canonical form of a row that its hash covers (see the class comment). */
  static String canonical(AuditRecord row) {
    ArrayNode a = JSON.createArrayNode();
    a.add(row.id());
    a.add(row.at().toEpochMilli());
    a.add(row.userId());
    a.add(row.userName());
    a.add(row.action());
    if (row.incidentId() == null) {
      a.addNull();
    } else {
      a.add(row.incidentId());
    }
    a.add(row.targetJson());
    a.add(row.parametersJson());
    a.add(row.result());
    a.add(row.error());
    try {
      return JSON.writeValueAsString(a);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an audit row", e);
    }
  }

  /**
   * Recomputes the chain over rows in id order.
   *
   * @param rows every row, ascending by id
   * @param headHash the hash the chain head records as the last appended row's, or null to skip
   *     that check (a deleted last row is only detected with it)
   * @param headId the id the chain head records as the last appended row's
   * @return the first broken row, or empty when the chain holds
   */
  public static Optional<Break> verify(List<AuditRecord> rows, String headHash, long headId) {
    String prev = GENESIS;
    for (AuditRecord row : rows) {
      if (!prev.equals(row.prevHash())) {
        return Optional.of(new Break(row.id(), "prev_hash does not match the previous row's hash "
            + "(a row before it was deleted, inserted or edited)"));
      }
      String expected = hash(prev, row);
      if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
          row.hash().getBytes(StandardCharsets.US_ASCII))) {
        return Optional.of(new Break(row.id(), "hash does not match its content (the row was edited)"));
      }
      prev = row.hash();
    }
    long lastId = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).id();
    if (!prev.equals(headHash) || lastId != headId) {
      return Optional.of(new Break(headId, "the chain head records row " + headId
          + " as the last, but the log ends at row " + lastId + " (rows at the end were deleted)"));
    }
    return Optional.empty();
  }

  /**
   * Where the chain breaks.
   *
   * @param rowId the id of the first row that fails
   * @param reason what is wrong with it
   */
  public record Break(long rowId, String reason) {}
}
