/** Real servers for tests (s3proxy, MinIO, MLflow), started on 127.0.0.1 and stopped by the tests. */
package dev.vlltr.runtime.testing;
