#!/usr/bin/env bash
# npm test: type-check, lint, format check, check for import cycles, then every test against real servers the project starts itself.
# With no arguments the fault tests (test/faults) run last, one at a time and at full scale
# (500 suggestions through five worker kills, 200 through a Temporal restart): alone on the
# machine, so the faults they inject are the only ones. With arguments, jest runs just those.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npx tsc --noEmit -p .
# ESLint's and typescript-eslint's recommended rules (eslint.config.mjs): real mistakes, not taste.
npx eslint --max-warnings 0 .
# Prettier's formatting (.prettierrc.json); `npm run format` applies it.
npx prettier --check --log-level warn .
# An import cycle leaves one module half-loaded when the other first runs: none is allowed.
npm run --silent check:cycles
if [ "$#" -gt 0 ]; then
  exec npx jest "$@"
fi
npx jest --testPathIgnorePatterns '/test/faults/'
bash scripts/test-faults.sh
