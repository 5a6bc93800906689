package dev.vlltr.registry.auth;

import java.util.Locale;

/** API-key roles; each includes the rights of the ones before it. */
public enum Role {
    READER, WRITER, ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
