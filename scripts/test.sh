#!/usr/bin/env bash
# npm test: type-check, then every test against real servers the project starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npx tsc --noEmit -p .
npx jest "$@"
