#!/usr/bin/env bash
# npm start: install what is missing, then run the whole stack (scripts/dev-stack.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec npx tsx scripts/dev-stack.ts
