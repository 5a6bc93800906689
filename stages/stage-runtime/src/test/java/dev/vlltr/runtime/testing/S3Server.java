package dev.vlltr.runtime.testing;

import dev.vlltr.runtime.store.S3Config;

/** An S3 server started by a test. */
public interface S3Server extends AutoCloseable {

    String endpoint();

    /** Configuration for our store, with this server's endpoint and keys. */
    S3Config config();

    void createBucket(String bucket) throws Exception;
}
