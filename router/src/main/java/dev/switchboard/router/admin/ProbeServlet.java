package dev.switchboard.router.admin;

import dev.switchboard.router.runtime.Switchboard;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code /live} (the process answers) and {@code /ready} (it should get traffic) for orchestrators. */
final class ProbeServlet extends HttpServlet {

    private final transient Switchboard sb;
    private final boolean readiness;

    ProbeServlet(Switchboard sb, boolean readiness) {
        this.sb = sb;
        this.readiness = readiness;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String reason = readiness ? RouterHealthChecks.notReadyReason(sb) : null;
        resp.setStatus(reason == null ? 200 : 503);
        resp.setContentType("text/plain;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write((reason == null ? "ok\n" : "not ready: " + reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) {
        String reason = readiness ? RouterHealthChecks.notReadyReason(sb) : null;
        resp.setStatus(reason == null ? 200 : 503);
    }
}
