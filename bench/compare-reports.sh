#!/usr/bin/env bash
# Whether a change alters what saguard finds: the JSON (or SARIF) report of every corpus render
# of bench/corpus-targets.tsv from two builds, compared. Names a chart draws at random (helm's
# randAlpha in test hooks) and the fingerprints they feed are masked, so only real changes show.
#   bench/compare-reports.sh BEFORE_SAGUARD AFTER_SAGUARD [json|sarif]
# Prints one line per target (`same` or `DIFFERS`, with exit status, findings and objects) and
# exits 1 when any report differs.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${SAGUARD_SHARED_DIR:-$REPO/../shared}/corpus"
BEFORE="$1" AFTER="$2" FORMAT="${3:-json}"
export PATH="$REPO/.tools/bin:$PATH"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mask() {
  sed -E -e 's/-test-[a-z0-9]{5}\b/-test-RANDOM/g' \
    -e 's/"(fingerprint|primaryLocationLineHash|saguard\/v2)": "[0-9a-f]+(:1)?"/"\1": "MASKED"/'
}
count=('.findings | length' '[.targets[].objects] | add')
[[ "$FORMAT" == sarif ]] &&
  count=('[.runs[].results | length] | add' '[.runs[].invocations[0].properties.targets[].objects] | add')
differ=0
while IFS=$'\t' read -r kind path flags; do
  [[ -z "$kind" || "$kind" == \#* ]] && continue
  read -ra args <<<"${flags:-}"
  for side in before after; do
    bin="$BEFORE"
    [[ "$side" == after ]] && bin="$AFTER"
    case "$kind" in
      helm) command=("$bin" helm test "$CORPUS/$path") ;;
      kustomize) command=("$bin" kustomize "$CORPUS/$path") ;;
    esac
    "${command[@]}" "${args[@]}" --format "$FORMAT" -o "$work/$side.json" 2>/dev/null
    echo $? >"$work/$side.exit"
  done
  summary="exit $(cat "$work/after.exit"), $(jq "${count[0]}" "$work/after.json") findings,"
  summary+=" $(jq "${count[1]}" "$work/after.json") objects"
  if cmp -s "$work/before.exit" "$work/after.exit" &&
     cmp -s <(mask <"$work/before.json") <(mask <"$work/after.json"); then
    echo "same     $path ($summary)"
  else
    echo "DIFFERS  $path ($summary)"
    differ=1
  fi
done <"$REPO/bench/corpus-targets.tsv"
exit "$differ"
