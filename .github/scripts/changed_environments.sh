#!/usr/bin/env bash
# Print, as a JSON list, the environments whose inputs changed between two commits.
#
#   changed_environments.sh BASE HEAD
#
# environments/<env>.py changed        -> that environment
# modules/, iac/, pyproject.toml or this CI recipe changed -> every environment (they feed all of them)
# BASE unknown (first push, force push, shallow history) -> every environment: planning too much is safe,
# planning too little is not.
set -euo pipefail
base="${1:-}"
head="${2:-HEAD}"

all=$(find environments -maxdepth 1 -name '*.py' ! -name '_*' -printf '%f\n' | sed 's/\.py$//' | sort)

if [[ -z "$base" || "$base" =~ ^0+$ ]] || ! changed=$(git diff --name-only "$base...$head" 2>/dev/null); then
  changed="iac/"
fi

if grep -qE '^(modules/|iac/|pyproject\.toml$|\.github/workflows/iac\.yml$|\.github/scripts/)' <<<"$changed"; then
  selected="$all"
else
  selected=$(for env in $all; do
    if grep -qxF "environments/$env.py" <<<"$changed"; then echo "$env"; fi
  done)
fi

printf '['
sep=''
for env in $selected; do
  printf '%s"%s"' "$sep" "$env"
  sep=','
done
printf ']\n'
