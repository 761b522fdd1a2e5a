#!/usr/bin/env bash
# The MCP conformance suite's applicable server scenarios against `rein mcp --http`, offline (see the .ts file).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/mcp-server-conformance.ts "$@"
