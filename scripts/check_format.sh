#!/usr/bin/env bash
# Checks that every C++ source under engine/, tests/ and peers/ is formatted as .clang-format says (Debian's
# clang-format, the `clang-format` package that scripts/setup.sh installs). Prints the files that differ and fails
# when there is one. Fix a file with `clang-format -i FILE`.
# Usage: bash scripts/check_format.sh [FILE...]   (default: every *.cpp, *.hpp and *.h under the three folders)
set -euo pipefail
cd "$(dirname "$0")/.."

clang_format="${CLANG_FORMAT:-clang-format}"
if ! command -v "$clang_format" >/dev/null; then
  echo "check_format: $clang_format not found; install it: apt-get install -y clang-format" >&2
  exit 2
fi

if (($#)); then
  files=("$@")
else
  mapfile -t files < <(find engine tests peers -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) | sort)
fi

differ=()
for file in "${files[@]}"; do
  "$clang_format" --dry-run --Werror "$file" >/dev/null 2>&1 || differ+=("$file")
done

if ((${#differ[@]})); then
  echo "check_format: ${#differ[@]} of ${#files[@]} files differ from .clang-format ($("$clang_format" --version)):" >&2
  printf '  %s\n' "${differ[@]}" >&2
  echo "check_format: see the changes with: $clang_format --dry-run FILE; apply them with: $clang_format -i FILE" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
