/**
 * From an Alertmanager webhook payload (version 4) to committed rows: parsing and validation,
 * and {@link dev.alertdesk.ingest.IngestPipeline}, which runs the ingest steps in one transaction
 * over roles bound to it ({@link dev.alertdesk.ingest.IngestStore}); the service and the
 * {@code replay} dry run get theirs from {@link dev.alertdesk.ingest.IngestPipelineFactory}.
 */
@NullMarked
package dev.alertdesk.ingest;

import org.jspecify.annotations.NullMarked;
