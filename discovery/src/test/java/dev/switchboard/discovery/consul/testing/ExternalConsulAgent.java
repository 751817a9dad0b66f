package dev.switchboard.discovery.consul.testing;

/** An agent someone else runs, named by {@code CONSUL_HTTP_ADDR} (token from {@code CONSUL_HTTP_TOKEN}). */
final class ExternalConsulAgent extends ConsulAgent {

    private final String address;
    private final String token;

    ExternalConsulAgent(String address, String token) {
        String a = address.trim();
        int scheme = a.indexOf("://");
        this.address = scheme >= 0 ? a.substring(scheme + 3).replaceAll("/+$", "") : a;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    @Override
    public String httpAddress() {
        return address;
    }

    @Override
    public String description() {
        return "running agent from CONSUL_HTTP_ADDR=" + address;
    }

    @Override
    public String managementToken() {
        return token;
    }

    @Override
    public boolean restartable() {
        return false;
    }
}
