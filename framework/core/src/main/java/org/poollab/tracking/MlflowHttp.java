package org.poollab.tracking;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Plain HTTP calls to an MLflow server that the Java client lacks or does through Python. */
public final class MlflowHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MlflowHttp() {
    }

    /** Whether {@code GET /health} answers 200 within two seconds. */
    public static boolean healthy(String trackingUri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(strip(trackingUri) + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Uploads a file through the server's artifact proxy ({@code PUT /api/2.0/mlflow-artifacts/artifacts/...}).
     *
     * @param artifactUri the run's artifact URI, {@code mlflow-artifacts:/<exp>/<run>/artifacts}
     * @param artifactPath the path inside the run's artifacts, e.g. {@code config/experiment.yaml}
     */
    public static void upload(String trackingUri, String artifactUri, String artifactPath, Path file) {
        String prefix = "mlflow-artifacts:";
        if (!artifactUri.startsWith(prefix)) {
            throw new TrackingException("the run's artifact location " + artifactUri + " is not served by the "
                    + "tracking server; start it with --serve-artifacts (the default) so artifacts can be uploaded");
        }
        String base = artifactUri.substring(prefix.length()).replaceAll("^/+", "");
        URI target = URI.create(strip(trackingUri) + "/api/2.0/mlflow-artifacts/artifacts/" + base + "/"
                + artifactPath);
        try {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new TrackingException("uploading " + file + " to " + target + " failed with HTTP "
                        + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new TrackingException("uploading " + file + " to " + target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted while uploading " + file, e);
        }
    }

    /** GET of a server path, for reading back what was logged. */
    public static String get(String trackingUri, String path) {
        return send(HttpRequest.newBuilder(URI.create(strip(trackingUri) + path)).GET(), "GET " + path);
    }

    /** POST of a JSON body to a server path (REST calls the Java client does not offer). */
    public static String post(String trackingUri, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(strip(trackingUri) + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), "POST " + path);
    }

    private static String send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new TrackingException(what + " failed with HTTP " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new TrackingException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted during " + what, e);
        }
    }

    static String strip(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
