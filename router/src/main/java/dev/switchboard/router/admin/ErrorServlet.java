package dev.switchboard.router.admin;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The admin listener's error page: whatever a servlet ends with {@code sendError} (the dashboard's
 * 404, Dropwizard's) or an uncaught exception becomes the API's JSON {@code {"error": …}}, never an
 * HTML page or a stack trace. Reached directly, it is a 404 like any unknown path.
 */
final class ErrorServlet extends HttpServlet {

    static final String PATH = "/error";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        int status = code instanceof Integer i ? i : 404;
        String path = uri != null ? uri.toString() : req.getRequestURI();
        String message = switch (status) {
            case 404 -> "no such resource: " + Json.quoteShort(path);
            default -> status >= 500 ? "internal error" : "request refused (" + status + ")";
        };
        ApiServlet.write(resp, status, Map.of("error", message));
    }
}
