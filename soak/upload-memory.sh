#!/usr/bin/env bash
# Soak: a 1 GB upload and a 1 GB download through the gateway keep its memory flat.
# Starts a local upstream (python3), the gateway (built binary), and curl; samples the gateway's RSS.
# Exit 0 when the peak RSS grew by less than LIMIT_MB over the idle baseline, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-1024}
LIMIT_MB=${LIMIT_MB:-64}
BIN=${BIN:-$(swift build --show-bin-path)/pasarela}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
UP_PORT=$(free_port); GW_PORT=$(free_port)

cat > "$WORK/upstream.py" <<PY
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("content-length", "0")); got = 0
        while got < n:
            b = self.rfile.read(min(1 << 20, n - got))
            if not b: break
            got += len(b)
        body = str(got).encode()
        self.send_response(200); self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        n = $SIZE_MB << 20; chunk = b"x" * (1 << 20)
        self.send_response(200); self.send_header("content-length", str(n)); self.end_headers()
        for _ in range(n >> 20): self.wfile.write(chunk)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", $UP_PORT), H).serve_forever()
PY
python3 "$WORK/upstream.py" & PIDS+=($!)
wait_port() { python3 -c "
import socket, sys, time
for _ in range(100):
    try: socket.create_connection(('127.0.0.1', $1), 0.2).close(); sys.exit(0)
    except OSError: time.sleep(0.1)
sys.exit(1)"; }
wait_port "$UP_PORT"

cat > "$WORK/gateway.yaml" <<YAML
_format_version: "3.0"
pasarela: {proxy_listen: 127.0.0.1:$GW_PORT, admin_listen: "off"}
services:
  - url: http://127.0.0.1:$UP_PORT
    read_timeout: 120000
    routes: [{paths: [/]}]
YAML
"$BIN" run --config "$WORK/gateway.yaml" 2>"${GATEWAY_LOG:-$WORK/gateway.log}" & GW=$!; PIDS+=($GW)
wait_port "$GW_PORT"

rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$GW/status; }
BASE=$(rss); PEAK=$BASE
sample() { while kill -0 "$1" 2>/dev/null; do r=$(rss); [ "$r" -gt "$PEAK" ] && PEAK=$r && echo "$PEAK" > "$WORK/peak"; sleep 0.2; done; }
echo "$BASE" > "$WORK/peak"

echo "upload: $SIZE_MB MB through the gateway (baseline RSS ${BASE} MB)"
truncate -s $((SIZE_MB << 20)) "$WORK/upload.bin"   # sparse: no disk used
curl -s -T "$WORK/upload.bin" -X POST "http://127.0.0.1:$GW_PORT/upload" -o "$WORK/upload.out" & CURL=$!
sample $CURL; wait $CURL
echo "  upstream received $(cat "$WORK/upload.out") bytes"

echo "download: $SIZE_MB MB through the gateway to a slow reader"
curl -s --limit-rate 200M "http://127.0.0.1:$GW_PORT/download" -o /dev/null -w '  %{size_download} bytes\n' & CURL=$!
sample $CURL; wait $CURL

PEAK=$(cat "$WORK/peak")
GROWTH=$((PEAK - BASE))
echo "gateway RSS: baseline ${BASE} MB, peak ${PEAK} MB, growth ${GROWTH} MB (limit ${LIMIT_MB} MB)"
[ "$GROWTH" -lt "$LIMIT_MB" ]
