#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The .edgeward keyring and what is verified against it: the production
# build takes only keys the kernel's trusted keys vouch for; the test build
# (test_keys=1) takes self-signed ones, with which IMA signatures allow
# executables by signer and signed manifests protect registrations.

. "$(dirname "$0")/lib.sh"

py=/usr/bin/python3
ko=${EDGEWARD_KO:-}

ew_require_module
for tool in openssl evmctl keyctl; do
	if ! command -v $tool >/dev/null; then
		ktap_skip_all "$tool not installed"
		exit "$KSFT_SKIP"
	fi
done
if [ -z "$ko" ] || [ ! -f "$top/build/kmod/$(uname -r)-testkeys/edgeward.ko" ]; then
	ktap_skip_all "needs EDGEWARD_KO and the test build (make kmod-all)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 16
tmp=$(mktemp -d)
trap 'ew_cg_cleanup; rmmod edgeward; insmod "$ko"; rm -rf "$tmp"' EXIT

kid=$(ew_make_key "$tmp" signer)
other=$(ew_make_key "$tmp" other)
stranger=$(ew_make_key "$tmp" stranger)

# --- the production build ---------------------------------------------
"$EW_CTL" --json status | json "v['keyring'] == 'available' and v['keyring_id'] > 0"
check "production keyring exists and is restricted" [ $? -eq 0 ]

! keyctl padd asymmetric "" "$(ew_keyring)" < "$tmp/signer.der" >/dev/null 2>&1
check "production keyring rejects a self-signed certificate" [ $? -eq 0 ]

# The kernel ignores an unknown parameter: the keyring must stay restricted.
rmmod edgeward
insmod "$ko" test_keys=1 2>/dev/null
[ ! -e /sys/module/edgeward/parameters/test_keys ] &&
	"$EW_CTL" --json status | json "v['keyring'] == 'available'" &&
	! keyctl padd asymmetric "" "$(ew_keyring)" < "$tmp/signer.der" >/dev/null 2>&1
check "production build ignores test_keys=1: still restricted" [ $? -eq 0 ]
rmmod edgeward

# --- the test build: IMA signatures -------------------------------------
ew_load_test_build
"$EW_CTL" --json status | json "v['keyring'] == 'test-keys'"
check "test build says test-keys" [ $? -eq 0 ]

ring=$(ew_keyring)
keyctl padd asymmetric "" "$ring" < "$tmp/signer.der" >/dev/null &&
	keyctl padd asymmetric "" "$ring" < "$tmp/other.der" >/dev/null
check "test keyring takes the test certificates" [ $? -eq 0 ]

# Copies of busybox, each made different so each has its own digest, each
# named busybox (it picks its applet by name) in a directory of its own.
mk() {
	mkdir "$tmp/$1" && cp /bin/busybox "$tmp/$1/busybox" &&
		printf '%s\n' "$1" >> "$tmp/$1/busybox"
}
sign() { evmctl ima_sign --key "$tmp/$2.pem" -a sha256 "$tmp/$1/busybox" >/dev/null 2>&1; }
mk signed && sign signed signer
mk unsigned
mk tampered && sign tampered signer && echo x >> "$tmp/tampered/busybox"
mk by-other && sign by-other other
mk by-stranger && sign by-stranger stranger

cg=$(ew_cg_new sig)
"$EW_CTL" register --name signedMod --gen-id 1 --cgroup "$cg" --mode enforce \
	--signer "$kid" >/dev/null
# in_cg FILE: runs FILE (as busybox's "touch MARKER") from a shell in cg.
in_cg() {
	rm -f "$tmp/marker"
	/bin/busybox sh -c "echo \$\$ > $cg/cgroup.procs; exec $tmp/$1/busybox touch $tmp/marker" 2>/dev/null
	[ -e "$tmp/marker" ]
}

check "a binary signed by an allowed signer runs (no digest listed)" in_cg signed
! in_cg unsigned
check "an unsigned binary is denied" [ $? -eq 0 ]
! in_cg tampered
check "a signed binary changed after signing is denied" [ $? -eq 0 ]
! in_cg by-other
check "a binary signed by a key in the keyring but not allowed is denied" [ $? -eq 0 ]
! in_cg by-stranger
check "a binary signed by a key outside the keyring is denied" [ $? -eq 0 ]

/bin/busybox sh -c "echo \$\$ > $cg/cgroup.procs; exec $tmp/signed/busybox sleep 30" &
sleeper=$!
ew_wait_exe "$sleeper" "$tmp/signed/busybox"
"$EW_CTL" --json attest "$sleeper" | json "v['verdict'] == 'signed' and v['name'] == 'signedMod'"
check "attest of a signed binary's process says signed" [ $? -eq 0 ]
kill "$sleeper"; wait "$sleeper" 2>/dev/null

# --- signed manifests ----------------------------------------------------
"$EW_CTL" unregister --cgroup "$cg" >/dev/null
bb=$(sha256sum /bin/busybox | cut -d' ' -f1)
m=(--name manMod --gen-id 2 --digest "$bb" --signer "$kid" --mode enforce --flags require-signed-manifest)

out=$("$EW_CTL" register "${m[@]}" --cgroup "$cg" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'requires a signed manifest'
check "a registration requiring a manifest is refused without one" [ $? -eq 0 ]

ew_sign_manifest "$tmp" signer "$tmp/good.sig" "${m[@]}" &&
	"$EW_CTL" register "${m[@]}" --cgroup "$cg" --manifest-sig "$tmp/good.sig" >/dev/null
check "a registration with a valid manifest signature is accepted" [ $? -eq 0 ]

# Same signature, one digest more: the manifest the kernel rebuilds differs.
out=$("$EW_CTL" update "${m[@]}" --digest "$(printf 'ab%.0s' $(seq 1 32))" \
	--cgroup "$cg" --manifest-sig "$tmp/good.sig" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'does not verify'
check "a signature over another manifest is rejected" [ $? -eq 0 ]

ew_sign_manifest "$tmp" stranger "$tmp/stranger.sig" "${m[@]}"
out=$("$EW_CTL" update "${m[@]}" --cgroup "$cg" --manifest-sig "$tmp/stranger.sig" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'does not verify'
check "a manifest signed by a key outside the keyring is rejected" [ $? -eq 0 ]

# Dropping the flag needs a signature too.
out=$("$EW_CTL" update --name manMod --gen-id 3 --cgroup "$cg" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'requires a signed manifest'
check "an unsigned update cannot drop require-signed-manifest" [ $? -eq 0 ]

ktap_finished
