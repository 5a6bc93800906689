package dev.vlltr.registry.store;

import dev.vlltr.registry.dto.Model;
import dev.vlltr.registry.dto.Version;
import dev.vlltr.registry.error.ProblemException;

/** Strong ETags from row versions, and the If-Match check (missing → 428, stale → 412). */
public final class Etags {
    private Etags() {}

    public static String of(Model m) {
        return "\"m" + m.id() + "." + m.rowVersion() + "\"";
    }

    public static String of(Version v) {
        return "\"v" + v.id() + "." + v.rowVersion() + "\"";
    }

    public static void check(String ifMatch, String current, String what) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw ProblemException.preconditionRequired("If-Match header required: send the ETag from GET " + what);
        }
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.equals(current)) {
                return;
            }
        }
        throw ProblemException.preconditionFailed(what + " was changed by someone else (current ETag " + current
                + "); GET it again and retry").with("currentEtag", current);
    }
}
