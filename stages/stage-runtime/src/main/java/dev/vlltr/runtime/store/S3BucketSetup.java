package dev.vlltr.runtime.store;

import io.minio.BucketExistsArgs;
import io.minio.GetBucketLifecycleArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.SetBucketLifecycleArgs;
import io.minio.messages.Filter;
import io.minio.messages.LifecycleConfiguration;
import io.minio.messages.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an artifact bucket the way the stages need it: present, and with a lifecycle rule that aborts multipart
 * uploads left incomplete for a day. An upload interrupted by a kill is invisible (S3 shows an object only once it is
 * complete) but its parts occupy the disk until someone aborts it.
 *
 * <p>Servers differ. AWS S3 and most S3 implementations keep the rule and apply it. MinIO rejects a rule whose only
 * action is {@code AbortIncompleteMultipartUpload} and silently drops that action from any other rule (minio/minio
 * #15681, #19115: "MinIO cleans up stale uploads itself", after {@code MINIO_API_STALE_UPLOADS_EXPIRY}, default 24 h).
 * {@link #ensure} therefore reads the configuration back and reports whether the server kept the rule; either way
 * the stage runner aborts the incomplete uploads under a stage's folder when the stage next starts
 * ({@link ArtifactStore#removeIncomplete}).
 */
public final class S3BucketSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3BucketSetup.class);
    public static final String ABORT_RULE_ID = "abort-incomplete-multipart-uploads";
    public static final int ABORT_AFTER_DAYS = 1;

    /** Whether the server stored the abort rule. */
    public enum AbortRule { KEPT, NOT_KEPT }

    private final S3Config config;
    private final MinioClient client;

    public S3BucketSetup(S3Config config) {
        this.config = config;
        this.client = MinioClient.builder().endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey()).region(config.region()).build();
    }

    /** Creates {@code bucket} unless it exists (idempotent) and asks for the abort rule; says whether it was kept. */
    public AbortRule ensure(String bucket) throws IOException {
        boolean exists = call("check bucket " + bucket,
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        if (!exists) {
            call("create bucket " + bucket, () -> {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                return null;
            });
            LOG.info("created bucket {} at {}", bucket, config.endpoint());
        }
        LifecycleConfiguration.Rule rule = new LifecycleConfiguration.Rule(Status.ENABLED,
                new LifecycleConfiguration.AbortIncompleteMultipartUpload(ABORT_AFTER_DAYS), null, new Filter(""),
                ABORT_RULE_ID, null, null, null);
        try {
            call("set the lifecycle of bucket " + bucket, () -> {
                client.setBucketLifecycle(SetBucketLifecycleArgs.builder().bucket(bucket)
                        .config(new LifecycleConfiguration(List.of(rule))).build());
                return null;
            });
        } catch (IOException e) {
            // a server that refuses the rule (MinIO) still gets a usable bucket; the runner's clean-up remains
            LOG.warn("{} did not accept the abort-incomplete-uploads rule on bucket {} ({}); incomplete uploads are"
                    + " removed by the stage runner and, on MinIO, after MINIO_API_STALE_UPLOADS_EXPIRY",
                    config.endpoint(), bucket, e.getMessage());
            return AbortRule.NOT_KEPT;
        }
        return hasAbortRule(bucket) ? AbortRule.KEPT : AbortRule.NOT_KEPT;
    }

    private boolean hasAbortRule(String bucket) throws IOException {
        LifecycleConfiguration lc;
        try {
            lc = call("read the lifecycle of bucket " + bucket,
                    () -> client.getBucketLifecycle(GetBucketLifecycleArgs.builder().bucket(bucket).build()));
        } catch (IOException e) {
            return false;   // NoSuchLifecycleConfiguration: nothing was kept
        }
        return lc != null && lc.rules() != null && lc.rules().stream().anyMatch(r -> r.abortIncompleteMultipartUpload()
                != null && r.abortIncompleteMultipartUpload().daysAfterInitiation() == ABORT_AFTER_DAYS);
    }

    private <T> T call(String what, Retry.Op<T> op) throws IOException {
        return Retry.call(what + " at " + config.endpoint(), config.attempts(), Duration.ofMillis(200),
                S3ArtifactStore::isTransient, op);
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } catch (Exception e) {
            throw new IOException("closing the S3 client: " + e.getMessage(), e);
        }
    }
}
