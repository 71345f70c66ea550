#!/usr/bin/env bash
# archiver(1): groff formats it without a warning, and it names every command of
# `archiver --help` and every option of each command's --help.
set -euo pipefail
binary=$1
page=$2

warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
if [ -n "$warnings" ]; then
  printf '%s\n' "$warnings"
  echo "groff warns about $page"
  exit 1
fi
# The page as a reader sees it, hyphenation and adjustment off so that words stay whole.
text=$(MANWIDTH=200 man --nh --nj -l "$page" 2>/dev/null)

failures=0
help_section() {  # SECTION [COMMAND]: the first column of that --help section, split at commas
  local section=$1
  shift
  "$binary" "$@" --help | awk -v section="$section" '
    /^[A-Za-z]+:$/ { inside = ($0 == section ":"); next }
    inside && /^  [^ ]/ { print $1 }' | tr ',' '\n' | grep -v -x -e '-h' -e '--help' || true
}
for command in $(help_section Subcommands); do
  if ! grep -q -E "^ {7}$command( |$)" <<<"$text"; then
    echo "FAIL: the man page has no entry for $command"
    failures=$((failures + 1))
  fi
  for option in $(help_section Options "$command"); do
    if ! grep -q -E "^ {7}$command .*$option( |\]|\||,|$)" <<<"$text"; then
      echo "FAIL: the man page's entry for $command does not name $option"
      failures=$((failures + 1))
    fi
  done
done
for option in $(help_section Options); do
  grep -q -E "^ {7}$option( |,|$)" <<<"$text" || {
    echo "FAIL: the man page does not describe the global option $option"
    failures=$((failures + 1))
  }
done
[ "$failures" -eq 0 ] || exit 1
echo "man page ok: no groff warnings, every command and option of $binary"
