#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The exec gate with binfmt_misc: the gate sits at the head of the handler
# list, so a file run through a binfmt_misc entry is judged itself, then its
# interpreter (and, the interpreter being a script here, that script's
# interpreter): refusing any of them refuses the exec.

. "$(dirname "$0")/lib.sh"

misc=/proc/sys/fs/binfmt_misc

ew_require_module
if ! mountpoint -q "$misc" && ! mount -t binfmt_misc binfmt_misc "$misc" 2>/dev/null; then
	ktap_skip_all "binfmt_misc not available"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 4
tmp=$(mktemp -d)
entry=ewtest$$
trap 'echo -1 > "$misc/$entry" 2>/dev/null; ew_cg_cleanup; "$EW_CTL" mode "$mode0" >/dev/null; rm -rf "$tmp"' EXIT
mode0=$("$EW_CTL" mode)

printf 'EWTEST payload\n' > "$tmp/payload"
chmod +x "$tmp/payload"
printf '#!/bin/busybox sh\n/bin/busybox touch %s/marker\n' "$tmp" > "$tmp/interp"
chmod +x "$tmp/interp"
echo ":$entry:M::EWTEST::$tmp/interp:" > "$misc/register"

sum() { sha256sum "$1" | cut -d' ' -f1; }
cg=$(ew_cg_new misc)
# allow FILE...: the registration allows exactly these files.
allow() {
	local args=() f
	for f in "$@"; do args+=(--digest "$(sum "$f")"); done
	"$EW_CTL" unregister --cgroup "$cg" >/dev/null 2>&1
	"$EW_CTL" register --name misc --gen-id 1 --cgroup "$cg" --mode enforce "${args[@]}" >/dev/null
}
run() {
	rm -f "$tmp/marker"
	/bin/busybox sh -c "echo \$\$ > $cg/cgroup.procs; exec $tmp/payload" 2>/dev/null
	[ -e "$tmp/marker" ]
}

allow "$tmp/payload" "$tmp/interp" /bin/busybox
check "payload, its binfmt_misc interpreter and that one's all listed: runs" run

allow "$tmp/interp" /bin/busybox
! run
check "payload not listed: refused, nothing ran" [ $? -eq 0 ]

allow "$tmp/payload" /bin/busybox
! run
check "binfmt_misc interpreter not listed: refused, nothing ran" [ $? -eq 0 ]

allow "$tmp/payload" "$tmp/interp"
! run
check "the interpreter's interpreter not listed: refused, nothing ran" [ $? -eq 0 ]

ktap_finished
