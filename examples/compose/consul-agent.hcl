# One blocking query per watched service: raise Consul's per-client connection limit (default 200)
# so a router watching many services is not answered with 429s.
limits {
  http_max_conns_per_client = 4096
}
