package dev.vlltr.runtime.testing;

import dev.vlltr.runtime.store.S3Config;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/** An in-process S3 server (s3proxy, filesystem backend) on 127.0.0.1 with an ephemeral port. */
public final class S3ProxyServer implements S3Server {

    public static final String ACCESS = "test-access-key";
    public static final String SECRET = "test-secret-key";

    private final S3Proxy proxy;

    public S3ProxyServer(Path basedir) throws Exception {
        Properties p = new Properties();
        // must be absolute: a relative basedir breaks multipart completion
        p.setProperty("jclouds.filesystem.basedir", basedir.toAbsolutePath().toString());
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem-nio2", p))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    @Override
    public S3Config config() {
        return S3Config.of(endpoint(), ACCESS, SECRET);
    }

    @Override
    public void createBucket(String bucket) throws Exception {
        try (MinioClient c = MinioClient.builder().endpoint(endpoint()).credentials(ACCESS, SECRET).build()) {
            c.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
