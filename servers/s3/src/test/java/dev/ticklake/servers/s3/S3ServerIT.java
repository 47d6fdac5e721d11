package dev.ticklake.servers.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.servers.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ServerIT {
  @TempDir Path dir;

  @Test
  void startsS3proxyWithTheBucketAndStops() throws Exception {
    int port;
    try (S3Server s3 = S3Server.start(dir, "lake")) {
      port = s3.port();
      assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:" + port);
      HttpResponse<String> listing =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(s3.endpoint() + "/lake")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      // The bucket exists and answers in S3's XML (s3a's own signed calls are tested in the
      // modules that write lakes on it).
      assertThat(listing.statusCode()).isEqualTo(200);
      assertThat(listing.body()).contains("<ListBucketResult").contains("<Name>lake</Name>");
      assertThat(dir.resolve("data/lake")).isDirectory();
    }
    assertThat(ServerProcess.listening(port)).isFalse();
  }
}
