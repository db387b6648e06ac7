#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lock: one way until reboot. Afterwards the mode can only be raised,
# only signed registrations are accepted and the module cannot be unloaded.
# It leaves the module locked: run it last, in a VM of its own.

. "$(dirname "$0")/lib.sh"

py=/usr/bin/python3

ew_require_module
if ! ew_load_test_build; then
	ktap_skip_all "needs the test build (make kmod-all)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 8
tmp=$(mktemp -d)
trap 'ew_cg_cleanup; rm -rf "$tmp"' EXIT

kid=$(ew_make_key "$tmp" signer)
keyctl padd asymmetric "" "$(ew_keyring)" < "$tmp/signer.der" >/dev/null
cg=$(ew_cg_new lock)
"$EW_CTL" mode audit

"$EW_CTL" lock && "$EW_CTL" --json status | json "v['locked'] is True"
check "lock locks" [ $? -eq 0 ]

"$EW_CTL" lock
check "locking again is a no-op" [ $? -eq 0 ]

"$EW_CTL" mode enforce && [ "$("$EW_CTL" mode)" = enforce ]
check "the mode can be raised" [ $? -eq 0 ]

out=$("$EW_CTL" mode audit 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'locked: the mode cannot be lowered' &&
	[ "$("$EW_CTL" mode)" = enforce ]
check "the mode cannot be lowered" [ $? -eq 0 ]

out=$("$EW_CTL" register --name plain --gen-id 1 --cgroup "$cg" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'locked: registrations must carry a signed manifest'
check "an unsigned registration is refused" [ $? -eq 0 ]

m=(--name lockedMod --gen-id 1 --signer "$kid")
ew_sign_manifest "$tmp" signer "$tmp/m.sig" "${m[@]}" &&
	"$EW_CTL" register "${m[@]}" --cgroup "$cg" --manifest-sig "$tmp/m.sig" >/dev/null
check "a signed registration is accepted" [ $? -eq 0 ]

"$EW_CTL" unregister --cgroup "$cg" >/dev/null
check "a registration can still be removed" [ $? -eq 0 ]

! rmmod edgeward 2>/dev/null && [ -d /sys/module/edgeward ]
check "the module cannot be unloaded" [ $? -eq 0 ]

ktap_finished
