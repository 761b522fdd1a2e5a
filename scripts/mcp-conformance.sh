#!/usr/bin/env bash
# Runs the official MCP conformance suite's client scenarios (all but [draft] and [extension] ones) against Rein's MCP client,
# offline (each scenario starts its own local server). Prints one line per scenario; exits 1 if any fails.
# Usage: scripts/mcp-conformance.sh [scenario ...]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
suite="$root/node_modules/@modelcontextprotocol/conformance/dist/index.js"
client="node $root/test/mcp/conformance-client.ts"
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  mapfile -t scenarios < <(node "$suite" list 2>/dev/null | sed -n '/^Client scenarios/,$p' | grep -v '\[draft\]\|\[extension\]' | sed -n 's/^  - \([^ ]*\).*/\1/p')
fi
work="$(mktemp -d -t rein-conformance-XXXXXX)"
passed=0
failed=0
for scenario in "${scenarios[@]}"; do
  log="$work/${scenario//\//_}.log"
  if (cd "$work" && node "$suite" client --command "$client" --scenario "$scenario" --timeout 60000) >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "  pass  $scenario ($(grep -o 'Passed: [0-9]*/[0-9]*' "$log" | tail -1))"
  else
    failed=$((failed + 1))
    echo "  FAIL  $scenario — log: $log"
    grep -E 'FAILURE|Error|error' "$log" | head -5 | sed 's/^/        /'
  fi
done
echo "MCP conformance (client): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
