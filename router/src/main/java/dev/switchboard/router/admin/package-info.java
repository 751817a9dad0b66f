/**
 * The admin listener: a separate Undertow server (default {@code 127.0.0.1:8081}; never public
 * unless {@code admin.address} says so) with one servlet deployment. Start reading at
 * {@link dev.switchboard.router.admin.AdminServer}; the API is
 * {@link dev.switchboard.router.admin.ApiServlet} (dispatch, token, limits),
 * {@link dev.switchboard.router.admin.ApiViews} (reads) and
 * {@link dev.switchboard.router.admin.ApiMutations} (writes). The dashboard's files are in
 * {@code src/main/resources/admin/}.
 *
 * <h2>Endpoints</h2>
 * <pre>
 * GET  /                      dashboard (vanilla JS, refreshes every 2 s)
 * GET  /live                  200 while the process answers
 * GET  /ready                 200 when a routing state is built and discovery (if any) has synced once;
 *                             503 "not ready: …" before, and while the router drains
 * GET  /metrics               Prometheus text (labelled names below)
 * GET  /admin                 Dropwizard AdminServlet menu:
 *      /admin/metrics         metrics JSON      /admin/healthcheck  checks (500 if any fails)
 *      /admin/ping            "pong"            /admin/threads      thread dump
 * </pre>
 * Health checks: {@code discovery} (in sync, or stale/erroring but serving the last good catalog for
 * less than 5 minutes), {@code routes} (built, non-empty, last rebuild succeeded), {@code io-threads}
 * (every proxy IO thread runs a task within 1 s), {@code config-reload} (the last reload was applied).
 *
 * <h2>JSON API ({@code /api/v1})</h2>
 * Reads are open (the listener is loopback by default). Mutations need {@code Authorization: Bearer
 * <token>} with the token from {@code admin.token} or {@code SWITCHBOARD_ADMIN_TOKEN}, compared in
 * constant time; without a configured token they answer 403 saying how to set one; a missing or
 * wrong token is 401. Errors are {@code {"error": "field: value (expected: …)", "field": "…"}}:
 * 400 bad input (not exactly one JSON object, a field twice, nesting or numbers past Jackson's
 * limits, unknown fields, wrong types, out-of-range numbers, names with {@code ../}, control
 * characters or over-long values), 404 unknown resource/service/backend, 405 wrong method (with
 * {@code Allow}), 409 removing a backend that did not come from the API, 413 body over 64 KiB
 * (answered before the body is read; the listener then reads and drops up to 16 MiB of it to keep
 * the connection, and closes it past that). What the client sent is echoed at most 64 characters
 * long, with control, format and HTML characters escaped. Every mutation is logged with its client
 * address.
 *
 * <p>The rest of the listener is read-only and answers errors the same way: {@link
 * dev.switchboard.router.admin.AdminGate} refuses any method but GET and HEAD outside
 * {@code /api/v1} (405; TRACE would otherwise echo the request's headers, token included) and
 * declared bodies over 64 KiB (413); {@link dev.switchboard.router.admin.ErrorServlet} turns every
 * servlet's error (an unknown path's 404, an exception's 500) into JSON, with no stack trace.
 * <pre>
 * GET  /api/v1/routes               routes with targets, in-flight and traffic; ?format=text → canonical table text
 * GET  /api/v1/services             per service: strategy, backends, healthy, ejected, panic, retry budget exhausted
 * GET  /api/v1/backends[?service=]  per backend: id, address, source (consul/static/api), weight, effective weight,
 *                                   draining, health, circuit, in flight, EWMA, selections, connections, traffic, health detail
 * GET  /api/v1/discovery            discovery status (source static when there is no Consul)
 * GET  /api/v1/config               effective config, secrets redacted
 * GET  /api/v1/reload               reload status (last attempt/success/error, counters) and what survives a reload
 * POST /api/v1/backends             {"service","address","port","weight"?}  add a static backend (201)
 * POST /api/v1/backends/remove      {"service","backend"}                    remove a backend added through the API
 * POST /api/v1/backends/drain       {"service","backend"}                    no new requests; in-flight finish
 * POST /api/v1/backends/undrain     {"service","backend"}
 * POST /api/v1/backends/weight      {"service","backend","weight"}           override weight (0 clears)
 * POST /api/v1/reload                                                        reload the config file now
 * </pre>
 * {@code backend} is the instance id {@code node/service-id} (static: {@code static/host:port}).
 *
 * <h2>What survives a reload</h2>
 * Backends added through the API stay until removed through the API. Drain and weight overrides
 * live on the backend object, which a reload keeps when the new config still has that backend
 * (same identity and address), even if its service's settings changed; a backend that the reload
 * removes loses them, and if it comes back it starts fresh. {@code listen}, {@code admin} (except
 * the token, read on every call) and {@code access_log} are read only at start.
 *
 * <h2>Metrics</h2>
 * Dropwizard names (JSON) → Prometheus names with labels. Per route ({@code route}):
 * {@code switchboard.route.requests} (timer: rate and latency percentiles),
 * {@code .responses.{1xx,2xx,3xx,4xx,5xx,other}} (meters), {@code .bytes_in}, {@code .bytes_out},
 * {@code .retries} (counters), {@code .in_flight} (gauge). Per backend ({@code service},
 * {@code backend}): {@code switchboard.backend.requests}, {@code .responses.*}, {@code .bytes_in},
 * {@code .bytes_out}, and gauges {@code .in_flight}, {@code .selections}, {@code .healthy},
 * {@code .circuit_state} (0 closed, 1 half open, 2 open, -1 disabled), {@code .ejections},
 * {@code .latency_ewma_seconds}, {@code .effective_weight}, {@code .draining},
 * {@code .connections_open}, {@code .connections_idle}, {@code .queued}, and counters
 * {@code .attempt_failures} (label {@code reason}: failed attempts, retried ones included). Per service
 * ({@code service}): {@code switchboard.service.instances}, {@code .healthy}, {@code .ejected},
 * {@code .panic}, {@code .retry_budget_exhausted}. Discovery: {@code switchboard.discovery.ready},
 * {@code .stale}, {@code .sync_age_seconds}, {@code .errors}, {@code .requests} (Consul HTTP
 * requests, a total: use {@code rate()}), {@code .watches}, {@code .services}, {@code .instances}.
 * Proxy: {@code switchboard.proxy.in_flight}, {@code .draining}, {@code .routes},
 * {@code .routing_state_version}, {@code .queue_depth}, {@code .upstream_connections_open},
 * {@code .upstream_connections_idle}, {@code .errors} (label {@code code}: requests that ended
 * with a router error, by its {@code X-Switchboard-Error} code). Reload: {@code switchboard.reload.successes},
 * {@code .failures}, {@code .last_failed}, {@code .last_success_timestamp_seconds}. Access log:
 * {@code switchboard.access_log.written}, {@code .dropped}. JVM: {@code jvm.memory.*},
 * {@code jvm.gc.*}, {@code jvm.threads.*}. In Prometheus, dots become underscores, labelled metrics
 * carry their labels (e.g. {@code switchboard_route_requests_count{route="web"}}), timers are
 * summaries in seconds. Metrics of removed routes, backends and services are unregistered within
 * one sync interval (500 ms).
 */
package dev.switchboard.router.admin;
