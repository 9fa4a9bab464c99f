package org.poollab.tracking;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
     * @throws Rejected if the path would leave the run's artifacts or the server refuses the file
     */
    public static void upload(String trackingUri, String artifactUri, String artifactPath, Path file) {
        URI target = artifactUrl(trackingUri, artifactUri, artifactPath);
        try {
            send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), "uploading " + file + " to " + target);
        } catch (FileNotFoundException e) {
            throw new Rejected("cannot upload " + file + ": it no longer exists");
        }
    }

    /**
     * Downloads one of a run's artifacts through the server's artifact proxy.
     *
     * @throws TrackingException if the server does not have it
     */
    public static void download(String trackingUri, String artifactUri, String artifactPath, Path target) {
        URI source = artifactUrl(trackingUri, artifactUri, artifactPath);
        try {
            HttpResponse<Path> response = CLIENT.send(HttpRequest.newBuilder(source).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofFile(target));
            if (response.statusCode() / 100 != 2) {
                Files.deleteIfExists(target);
                throw new TrackingException("GET " + source + " failed with HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            throw new TrackingException("downloading " + source + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted while downloading " + source, e);
        }
    }

    private static URI artifactUrl(String trackingUri, String artifactUri, String artifactPath) {
        String prefix = "mlflow-artifacts:";
        if (!artifactUri.startsWith(prefix)) {
            throw new Rejected("the run's artifact location " + artifactUri + " is not served by the "
                    + "tracking server; start it with --serve-artifacts (the default) so artifacts can be uploaded");
        }
        String base = artifactUri.substring(prefix.length()).replaceAll("^/+", "");
        return URI.create(strip(trackingUri) + "/api/2.0/mlflow-artifacts/artifacts/" + base + "/"
                + insideRun(artifactPath));
    }

    /**
     * An artifact path made safe: relative, normalised, '/'-separated, and not leaving the run's artifacts.
     *
     * @throws Rejected for an empty or absolute path or one that climbs out with {@code ..}
     */
    static String insideRun(String artifactPath) {
        String slashes = artifactPath.replace('\\', '/');
        Path normal = Path.of(slashes).normalize();
        if (slashes.isBlank() || slashes.startsWith("/") || normal.toString().isEmpty()
                || normal.startsWith("..")) {
            throw new Rejected("the artifact path '" + artifactPath + "' leaves the run's artifact folder; use a "
                    + "relative path such as attention/grid.png");
        }
        return normal.toString();
    }

    /** GET of a server path, for reading back what was logged. */
    public static String get(String trackingUri, String path) {
        return send(HttpRequest.newBuilder(URI.create(strip(trackingUri) + path)).timeout(Duration.ofSeconds(30))
                .GET().build(), "GET " + path);
    }

    /**
     * POST of a JSON body to a server path (REST calls the Java client does not offer).
     *
     * @throws Rejected if the server answers 4xx (retrying will not help)
     * @throws TrackingException if the server cannot be reached or answers 5xx
     */
    public static String post(String trackingUri, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(strip(trackingUri) + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), "POST " + path);
    }

    private static String send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 4) {
                throw new Rejected(what + " was refused with HTTP " + status + ": " + response.body());
            }
            if (status / 100 != 2) {
                throw new TrackingException(what + " failed with HTTP " + status + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new TrackingException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted during " + what, e);
        }
    }

    /** The server understood the request and refused it (HTTP 4xx): sending it again will not help. */
    public static final class Rejected extends TrackingException {

        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    static String strip(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
