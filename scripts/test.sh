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
# The server errors (5xx) the tests' APIs answered, with their stacks: printed when the suite fails,
# since a failure seen only on another machine must be diagnosable from its output.
mkdir -p test-artifacts
export API_ERROR_LOG="${API_ERROR_LOG:-$PWD/test-artifacts/api-server-errors.log}"
: > "$API_ERROR_LOG"
if ! npx jest --testPathIgnorePatterns '/test/faults/'; then
  echo "--- server errors the tests' APIs answered ($API_ERROR_LOG; some tests provoke a 500 on purpose) ---" >&2
  tail -n 200 "$API_ERROR_LOG" >&2
  exit 1
fi
# The API tests written for any city (they take their codes from the profile) run again under the
# second shipped profile, Hangzhou's: districts, streets, categories and departments of another city.
CITY_PROFILE=hangzhou npx jest test/api/jurisdiction-matrix.test.ts test/api/open311.test.ts test/api/role-matrix.test.ts
bash scripts/test-faults.sh
