#!/usr/bin/env bash
# The bash completion (completion/archiver) against the binary: its commands are those of
# `archiver --help`, each command's options those of `archiver COMMAND --help`, the global
# options those of `archiver --help`; and a few inputs complete as a user expects.
set -uo pipefail
binary=$1
completion=$2

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# shellcheck source=/dev/null
source "$completion"

# Words (separated by blanks or lines) sorted, without repeats, on one line.
sorted_words() {
  tr ' ' '\n' | sed '/^$/d' | sort -u | paste -sd ' '
}

# The sorted, space-separated candidates for a command line whose last word is being completed.
candidates() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _archiver archiver "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sorted_words
}

# The words of the first column of a --help section (Subcommands: or Options:), split at commas,
# without -h and --help.
help_section() {
  local section=$1
  shift
  "$binary" "$@" --help | awk -v section="$section" '
    /^[A-Za-z]+:$/ { inside = ($0 == section ":"); next }
    inside && /^  [^ ]/ { print $1 }' | tr ',' '\n' | grep -v -x -e '-h' -e '--help' | sorted_words
}

expect() {  # WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || fail "$1: expected [$2], completion gives [$3]"
}

help_commands=$(help_section Subcommands)
[ -n "$help_commands" ] || fail "no commands in archiver --help"
completion_commands=$(candidates archiver "")
for command in $help_commands; do
  [[ " $completion_commands " == *" $command "* ]] || fail "command $command is not completed"
done
for command in $completion_commands; do
  if [[ " $help_commands " == *" $command "* ]]; then
    expected=$(echo "$(help_section Options "$command") --help --config --db --log-level" |
      sorted_words)
    expect "options of $command" "$expected" "$(candidates archiver "$command" -)"
  else
    fail "the completion offers $command, which archiver --help does not list"
  fi
done
expect "global options" "$(echo "$(help_section Options) --help" | sorted_words)" \
  "$(candidates archiver -)"

# What a user types.
expect "archiver se" "search serve" "$(candidates archiver se)"
expect "archiver fetch --" "--config --date --db --from --help --json --log-level --parser \
--refetch --site --to" "$(candidates archiver fetch --)"
expect "archiver --db x.db search --a" "--all-versions" "$(candidates archiver --db x.db search --a)"
expect "archiver --log-level w" "warn" "$(candidates archiver --log-level w)"
expect "archiver export --format w" "wacz warc" "$(candidates archiver export --format w)"
expect "archiver serve --l" "--listen --log-level" "$(candidates archiver serve --l)"
config=$(mktemp --suffix=.toml)
trap 'rm -f "$config"' EXIT
cat >"$config" <<'TOML'
[archive]
database = "x.db"
[[site]]
name = "ahgrb"
parser = "epaper"
[[site]]
  name="gyghw"   # a comment
[site.fetch]
name = "not-a-site"
TOML
expect "sites of --config" "ahgrb gyghw" "$(candidates archiver --config "$config" fetch --site "")"
expect "sites of ARCHIVER_CONFIG" "gyghw" \
  "$(ARCHIVER_CONFIG=$config candidates archiver editions --site g)"

if [ "$failures" -ne 0 ]; then
  echo "$failures failures"
  exit 1
fi
echo "completion matches $binary: commands, options, values"
