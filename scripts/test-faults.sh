#!/usr/bin/env bash
# The fault tests at full scale, one file at a time (npm run test:faults; the last part of npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
FAULT_FULL_SCALE=1 npx jest --selectProjects integration --runInBand -- test/faults
