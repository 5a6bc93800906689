package dev.vlltr.registry.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who sent the current request (the API key's name and role) and the request id for the audit log. */
@RequestScoped
public class Caller {
    private String name = "anonymous";
    private Role role;
    private String requestId;

    void set(String name, Role role, String requestId) {
        this.name = name;
        this.role = role;
        this.requestId = requestId;
    }

    public String name() { return name; }
    public Role role() { return role; }
    public String requestId() { return requestId; }
    public boolean isAdmin() { return role == Role.ADMIN; }
}
