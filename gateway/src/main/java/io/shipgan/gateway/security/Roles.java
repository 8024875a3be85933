package io.shipgan.gateway.security;

import java.util.List;
import java.util.Set;

/** The two roles an API key can have; an admin key may do everything a user key may. */
public final class Roles {

    /** Sampling and read-only model and training information. */
    public static final String USER = "user";

    /** Everything a user may, plus what changes state: pin, unpin, rollback, training start and stop. */
    public static final String ADMIN = "admin";

    static final List<String> ALL = List.of(USER, ADMIN);

    private Roles() {
    }

    /** The roles a key of {@code role} holds: its own and every role below it. */
    static Set<String> grantedTo(String role) {
        return ADMIN.equals(role) ? Set.of(ADMIN, USER) : Set.of(USER);
    }
}
