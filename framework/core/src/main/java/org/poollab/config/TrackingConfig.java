package org.poollab.config;

/**
 * Where runs are logged.
 *
 * @param uri the MLflow tracking URI, or {@code null}: {@code MLFLOW_TRACKING_URI}, else a local server
 * @param runName the MLflow run name, or {@code null} for {@code <pooling>-<backbone>-s<seed>}
 */
public record TrackingConfig(String uri, String runName) {
}
