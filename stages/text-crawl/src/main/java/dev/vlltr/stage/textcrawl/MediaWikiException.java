package dev.vlltr.stage.textcrawl;

import java.io.IOException;

/** A MediaWiki request that failed for good: a non-retryable error or retries exhausted. */
public class MediaWikiException extends IOException {

    /** @param message what failed, with the URL */
    public MediaWikiException(String message) {
        super(message);
    }

    /** @param message what failed @param cause the last error */
    public MediaWikiException(String message, Throwable cause) {
        super(message, cause);
    }
}
