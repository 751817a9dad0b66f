package dev.switchboard.router.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Serves the dashboard's three files from {@code /admin/} on the classpath; anything else is 404. */
final class DashboardServlet extends HttpServlet {

    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html;charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html;charset=utf-8"},
            "/dashboard.js", new String[] {"dashboard.js", "text/javascript;charset=utf-8"},
            "/dashboard.css", new String[] {"dashboard.css", "text/css;charset=utf-8"});

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        String[] file = FILES.get(path.isEmpty() ? "/" : path);
        if (file == null) {
            resp.sendError(404);
            return;
        }
        try (InputStream in = DashboardServlet.class.getResourceAsStream("/admin/" + file[0])) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType(file[1]);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'");
            in.transferTo(resp.getOutputStream());
        }
    }
}
