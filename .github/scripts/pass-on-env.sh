#!/usr/bin/env bash
# Passes the named environment variables on to the job's later steps (GITHUB_ENV), each only when it
# is not empty: electron-builder treats a variable that is set but empty as set, and a repository
# secret that is not defined expands to an empty string. Values go through a random heredoc
# delimiter, so a multi-line secret (a base64 certificate, a .p8 key) cannot end the entry early.
set -euo pipefail
for name in "$@"; do
  value="${!name:-}"
  if [ -n "$value" ]; then
    delimiter="END_$(openssl rand -hex 16)"
    { echo "$name<<$delimiter"; echo "$value"; echo "$delimiter"; } >> "$GITHUB_ENV"
    echo "$name is set"
  fi
done
