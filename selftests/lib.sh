# SPDX-License-Identifier: GPL-2.0
# Shared by the shell selftests: KTAP output from the kernel's own helpers,
# paths of the built tools, and cgroups made for a test.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
KSFT=${KSFT:-/usr/src/linux-source-6.12/tools/testing/selftests}
# shellcheck source=/dev/null
. "$KSFT/kselftest/ktap_helpers.sh"

EW_CTL=${EW_CTL:-$top/build/userspace/edgewardctl}
CGROOT=/sys/fs/cgroup
ew_cgs=()

# Skip everything (exit 4) unless the module is loaded and the tools built.
ew_require_module() {
	ktap_print_header
	if [ ! -d /sys/module/edgeward ]; then
		ktap_skip_all "edgeward module not loaded"
		exit "$KSFT_SKIP"
	fi
	if [ ! -x "$EW_CTL" ]; then
		ktap_skip_all "edgewardctl not built ($EW_CTL)"
		exit "$KSFT_SKIP"
	fi
}

# ew_cg_new TAG: makes a cgroup, prints its path.
ew_cg_new() {
	local p="$CGROOT/ew-sh-$$-$1"
	mkdir "$p" && ew_cgs+=("$p") && echo "$p"
}

ew_cg_cleanup() {
	local p
	for p in "${ew_cgs[@]}"; do
		"$EW_CTL" unregister --cgroup "$p" >/dev/null 2>&1
		rmdir "$p" 2>/dev/null
	done
	ew_cgs=()
}

# json EXPR: reads JSON on stdin, succeeds if the Python expression on v
# holds (jq is not assumed).
json() {
	/usr/bin/python3 -c "import json,sys; v=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"
}

# ew_pids_under PID: PID and all its descendants (a background shell
# function is a subshell whose child holds the socket).
ew_pids_under() {
	local c
	echo "$1"
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		ew_pids_under "$c"
	done
}

# ew_wait_listening PID: waits (up to 20 s) until a netlink socket of PID or
# of a descendant has joined a multicast group, so a listener started in the
# background hears what the test does next. Under emulation that can take
# seconds.
ew_wait_listening() {
	local pid=$1 i inodes p
	for i in $(seq 1 200); do
		inodes=$(for p in $(ew_pids_under "$pid"); do
				find "/proc/$p/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null
			done | tr -dc '0-9\n')
		[ -n "$inodes" ] && awk -v want="$inodes" '
			BEGIN { n = split(want, w, "\n"); for (i = 1; i <= n; i++) s[w[i]] = 1 }
			NR > 1 && $4 != "00000000" && ($NF in s) { found = 1 }
			END { exit !found }' /proc/net/netlink && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# ew_wait_exe PID PATH: waits (up to 20 s) until PID runs PATH.
ew_wait_exe() {
	local i
	for i in $(seq 1 200); do
		[ "$(readlink "/proc/$1/exe")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# check DESCRIPTION COMMAND...: one KTAP result from a command's status.
check() {
	local d=$1
	shift
	if "$@"; then
		ktap_test_pass "$d"
	else
		ktap_test_fail "$d"
	fi
}

# Test keys: an RSA key and a self-signed certificate with a subject key
# identifier, as integrators' signing keys look. ew_make_key DIR NAME makes
# DIR/NAME.pem (key), DIR/NAME.crt (PEM), DIR/NAME.der and prints the key id
# (last 8 hex digits of the subject key identifier).
ew_make_key() {
	local d=$1 n=$2
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=edgeward test $n" \
		-keyout "$d/$n.pem" -out "$d/$n.crt" \
		-addext subjectKeyIdentifier=hash \
		-addext basicConstraints=critical,CA:FALSE \
		-addext keyUsage=digitalSignature 2>/dev/null || return 1
	openssl x509 -in "$d/$n.crt" -outform DER -out "$d/$n.der" || return 1
	openssl x509 -in "$d/$n.crt" -noout -ext subjectKeyIdentifier |
		tail -n 1 | tr -d ' :' | tr 'A-F' 'a-f' | tail -c 9
}

# ew_load_test_build: replaces the module with its test build (test_keys=1).
ew_load_test_build() {
	local tko=$top/build/kmod/$(uname -r)-testkeys/edgeward.ko
	[ -f "$tko" ] || return 1
	rmmod edgeward 2>/dev/null
	insmod "$tko" test_keys=1
}

# ew_keyring: the .edgeward keyring's serial number.
ew_keyring() {
	"$EW_CTL" --json status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["keyring_id"])'
}

# ew_sign_manifest DIR KEY OUT MANIFEST-OPTIONS...: signs the canonical
# manifest edgewardctl prints for those options.
ew_sign_manifest() {
	local d=$1 k=$2 out=$3
	shift 3
	"$EW_CTL" manifest "$@" > "$d/manifest" &&
		openssl cms -sign -binary -noattr -outform DER -md sha256 \
			-in "$d/manifest" -signer "$d/$k.crt" -inkey "$d/$k.pem" -out "$out"
}
