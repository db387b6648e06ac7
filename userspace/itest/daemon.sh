#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Integration tests of edgewardd: the real daemon on Unix sockets in a
# scratch directory, process modules in real cgroups, called by a tiny C
# client (tools/ew_module_client) the way modules built with the Azure IoT
# SDKs call the workload API. Prints TAP; ends with "daemon: N passed, N
# failed, N skipped".
#
# On the host the kernel module is usually absent: the daemon identifies
# callers from /proc/PID/cgroup, and the checks that need the kernel's
# measurement are skipped with the reason. In the VM (selftests/daemon.sh)
# the module is loaded and they run.
#
#   EW_BUILD   the user-space build (default: ../../build/userspace)
#   EW_KERNEL  1: the kernel module is loaded and must be used
set -u

suite=daemon
. "$(dirname "$0")/lib.sh"
client=$build/tools/ew_module_client
ctl=$build/edgewardctl
itest_setup "$client"

# run_module NAME ARG...: a process module NAME that runs the client with
# ARGs (calls separated by "--"); waits until it has exited and leaves its
# output in $work/NAME.out. $EXTRA: more settings, as JSON members.
run_module() {
	local name=$1 i
	shift
	mgmt POST /modules "$(python3 -c '
import json, sys
s = {"exec": sys.argv[2], "args": sys.argv[4:]}
s.update(json.loads("{" + sys.argv[3] + "}"))
print(json.dumps({"name": sys.argv[1], "type": "process", "config": {"settings": s}}))' \
		"$name" "$client" "${EXTRA:-}" "$@")" > /dev/null
	mgmt POST "/modules/$(urlenc "$name")/start" > /dev/null
	for i in $(seq 1 100); do
		mgmt GET "/modules/$(urlenc "$name")" | tail -n 1 |
			json "v['status']['runtimeStatus']['status'] != 'running'" && break
		sleep 0.1
	done
	mgmt GET "/modules/$(urlenc "$name")/logs" | tail -n +2 | grep -v '^$' > "$work/$name.out"
}

# --- setup -----------------------------------------------------------------
# The identity master key of the known-answer vector (bytes 0x00..0x1f), put
# where the file key store keeps it before the daemon first starts.
mkdir -m 0700 -p "$state/keys"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(32)))' > "$state/keys/identity-master.key"
chmod 0600 "$state/keys/identity-master.key"
# An identity with the vector's generation id, as the daemon records them.
cat > "$state/state.json" <<EOF
{"version":1,"identities":[{"moduleId":"edgeHub","managedBy":"IotEdge","generationId":"637000000000000000"}],"modules":[]}
EOF
chmod 0600 "$state/state.json"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=extra trusted CA" -keyout "$work/extra-ca.key" -out "$work/extra-ca.pem" 2>/dev/null
write_config "trust_bundle_cert = \"file://$work/extra-ca.pem\""
start_daemon || { not_ok "edgewardd starts"; finish; }
ok "edgewardd starts on a config with manual provisioning"

# --- workload API from modules ----------------------------------------------
# sign: HMAC-SHA256 under K_mod = HMAC(master, "edgeHub:637000000000000000:primary"),
# whose base64 is the spec's known answer.
run_module edgeHub sign aGVsbG8gd29ybGQ= -- sign aGVsbG8gd29ybGQ= other -- \
	raw POST /modules/edgeHub/genid/1/sign '{"data":"aGVsbG8gd29ybGQ=","keyId":"secondary"}'
expect=$(python3 -c '
import base64, hmac, hashlib
k = base64.b64decode("dejP5m18krKEqrGQofE65f6SDflHut8DrsKH0AzGRFM=")
print(base64.b64encode(hmac.new(k, b"hello world", hashlib.sha256).digest()).decode())')
sed -n 1,2p "$work/edgeHub.out" | tr '\n' ' ' | grep -q "^200 {\"digest\":\"$expect\"}"
check "sign answers the known-answer vector of the spec" [ $? -eq 0 ]
sed -n 3,4p "$work/edgeHub.out" | tr '\n' ' ' | grep -q '^403 {"message":"forbidden"}'
check "a module claiming another module's name gets 403" [ $? -eq 0 ]
expect2=$(python3 -c '
import base64, hmac, hashlib
m = bytes(range(32))
k = hmac.new(m, b"edgeHub:637000000000000000:secondary", hashlib.sha256).digest()
print(base64.b64encode(hmac.new(k, b"hello world", hashlib.sha256).digest()).decode())')
sed -n 5,6p "$work/edgeHub.out" | tr '\n' ' ' | grep -q "^200 {\"digest\":\"$expect2\"}"
check "sign with keyId secondary uses the :secondary key and the recorded generation id" [ $? -eq 0 ]

# encrypt / decrypt, and AAD separation between modules.
run_module modA encrypt c2VjcmV0IGRhdGE= AAECAwQFBgcICQoL
ct=$(sed -n 2p "$work/modA.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ciphertext"])' 2>/dev/null)
[ "$(sed -n 1p "$work/modA.out")" = 200 ] && [ -n "$ct" ] &&
	python3 -c 'import base64,sys; b=base64.b64decode(sys.argv[1]); sys.exit(0 if b[0]==2 and len(b)==1+11+16 else 1)' "$ct"
check "encrypt returns a v2 blob (0x02 || ct || tag)" [ $? -eq 0 ]
mgmt DELETE /modules/modA > /dev/null
# The same name again: same identity, so the same AAD and key.
run_module modA decrypt "$ct" AAECAwQFBgcICQoL
sed -n 1,2p "$work/modA.out" | tr '\n' ' ' | grep -q '^200 {"plaintext":"c2VjcmV0IGRhdGE="}'
check "decrypt by the same module returns the plaintext" [ $? -eq 0 ]
run_module modB decrypt "$ct" AAECAwQFBgcICQoL -- decrypt "$ct" AAECAwQFBgcICQoL modA
out=$(sed -n 1,2p "$work/modB.out" | tr '\n' ' ')
[[ $out == "400 {\"message\":\"decryption failed: "* ]]
check "another module cannot decrypt it (AAD is the module's name and generation)" [ $? -eq 0 ]
sed -n 3p "$work/modB.out" | grep -qx 403
check "nor call decrypt in its name" [ $? -eq 0 ]

# Certificates: identity and server, verified against the trust bundle.
run_module '$edgeHub' identity-cert -- server-cert gw1.example.net -- server-cert 10.1.2.3 -- trust-bundle
python3 - "$work/\$edgeHub.out" "$work" <<'PY' > "$work/certs.sh"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
out = sys.argv[2]
def body(i):
    return json.loads(lines[i])
st = [lines[0], lines[2], lines[4], lines[6]]
print("statuses='%s'" % " ".join(st))
for i, n in ((1, "id"), (3, "srv"), (5, "ip")):
    b = body(i)
    open(f"{out}/{n}.crt", "w").write(b["certificate"])
    open(f"{out}/{n}.key", "w").write(b["privateKey"]["bytes"])
    print(f"{n}_type={b['privateKey']['type']}")
    print(f"{n}_exp={b['expiration']}")
open(f"{out}/bundle.pem", "w").write(body(7)["certificate"])
PY
. "$work/certs.sh"
check "identity and server certificates are 201, trust bundle 200" [ "$statuses" = "201 201 201 200" ]
verify() { openssl verify -CAfile "$work/bundle.pem" -untrusted "$1" -purpose "$2" "$1" >/dev/null 2>&1; }
text() { openssl x509 -in "$1" -noout -text 2>/dev/null; }
verify "$work/id.crt" sslclient && text "$work/id.crt" | grep -q 'URI:azureiot://hub1.azure-devices.net/devices/gw1/modules/\$edgeHub' &&
	text "$work/id.crt" | grep -q 'Subject: CN = \$edgeHub' &&
	text "$work/id.crt" | grep -A1 'Extended Key Usage' | grep -q 'TLS Web Client Authentication'
check "identity certificate: verifies, CN and SAN URI of the module, clientAuth" [ $? -eq 0 ]
verify "$work/srv.crt" sslserver && text "$work/srv.crt" | grep -q 'DNS:gw1.example.net, DNS:edgeHub' &&
	text "$work/srv.crt" | grep -A1 'Extended Key Usage' | grep -q 'TLS Web Server Authentication'
check "server certificate: verifies, SANs commonName and the name without \$, serverAuth" [ $? -eq 0 ]
text "$work/ip.crt" | grep -q 'IP Address:10.1.2.3, DNS:edgeHub'
check "a server commonName that is an address becomes an IP SAN" [ $? -eq 0 ]
[ "$(openssl pkey -in "$work/id.key" -noout -text 2>/dev/null | sed -n 1p)" = "Private-Key: (256 bit)" ] &&
	openssl x509 -in "$work/id.crt" -noout -pubkey | cmp -s - <(openssl pkey -in "$work/id.key" -pubout)
check "the private key is P-256 PKCS#8 and belongs to the certificate" [ $? -eq 0 ]
grep -q "$(sed -n 2p "$work/extra-ca.pem")" "$work/bundle.pem"
check "the trust bundle has the configured extra CA" [ $? -eq 0 ]

# Callers that are no module.
out=$(workload POST "/modules/edgeHub/genid/1/sign?api-version=$api" '{"data":"aGk="}' | tr '\n' ' ')
check "a host process that is no module gets 403 for a module's endpoint" [ "$out" = '403 {"message":"forbidden"} ' ]
if [ "$kernel" = 1 ]; then
	"$ctl" --json list | json "any(r['name'] == 'edgeHub' and r['cgroup_path'].endswith('/$cgbase/modules/edgeHub') for r in v)"
	check "the kernel has the module's registration, by its cgroup" [ $? -eq 0 ]
	"$ctl" mode audit > /dev/null
	other=$(sha256sum /bin/true | cut -d' ' -f1)
	EXTRA="\"expectedDigest\":\"sha256:$other\"" run_module wrongexe sign aGk=
	[ "$(tr '\n' ' ' < "$work/wrongexe.out")" = '403 {"message":"forbidden"} ' ]
	check "a module whose executable is not the registered one gets 403 (audit mode)" [ $? -eq 0 ]
	"$ctl" mode enforce > /dev/null
	EXTRA="\"expectedDigest\":\"sha256:$other\"" run_module wrongexe2 sign aGk=
	mgmt GET /modules/wrongexe2 | tail -n 1 |
		json "v['status']['runtimeStatus']['status'] == 'failed' and 'not permitted' in v['status']['runtimeStatus']['description']"
	check "in enforce mode it does not even start: failed, operation not permitted" [ $? -eq 0 ]
	run_module allowed sign aGk=
	check "the registered executable still works in enforce mode" [ "$(head -n 1 "$work/allowed.out")" = 200 ]
	"$ctl" mode audit > /dev/null
else
	skip "a module whose executable is not the registered one gets 403" \
		"needs the kernel module's measurement (runs in the VM: selftests/daemon.sh)"
fi

# --- the spec's error answers -----------------------------------------------
out=$(workload GET /trust-bundle | tr '\n' ' ')
check "no api-version: 400 api-version not specified" [ "$out" = '400 {"message":"api-version not specified"} ' ]
out=$(workload GET '/trust-bundle?api-version=2001-01-01' | tr '\n' ' ')
check "unknown api-version: 400 invalid api-version" [ "$out" = '400 {"message":"invalid api-version \"2001-01-01\""} ' ]
out=$(workload DELETE "/trust-bundle?api-version=$api" | tr '\n' ' ')
check "wrong method: 400 method not allowed" [ "$out" = '400 {"message":"method not allowed"} ' ]
out=$(workload GET "/nothing?api-version=$api" | tr '\n' ' ')
check "unknown path: 404 not found" [ "$out" = '404 {"message":"not found"} ' ]
run_module errs raw POST /modules/errs/genid/1/sign '{not json' -- \
	raw POST /modules/errs/genid/1/sign '{"data":"***"}' -- raw POST /modules/errs/genid/1/sign
mapfile -t e < "$work/errs.out"
[ "${e[0]}" = 422 ] && [[ ${e[1]} == '{"message":'* ]]
check "malformed JSON: 422 with a message" [ $? -eq 0 ]
check "bad base64: 400 invalid parameter: data" [ "${e[2]} ${e[3]}" = '400 {"message":"invalid parameter: data"}' ]
check "missing body: 400 missing parameter: request body" \
	[ "${e[4]} ${e[5]}" = '400 {"message":"missing parameter: request body"}' ]

# A module name as long as IoT Hub allows (128): its cgroup, its identity
# (and kernel registration in the VM) and its key all work; an identity
# certificate cannot carry it (X.509 commonName: 64 at most) and says so.
long=$(printf 'm%.0s' $(seq 1 128))
run_module "$long" sign aGVsbG8gd29ybGQ= -- identity-cert
[ "$(sed -n 1p "$work/$long.out")" = 200 ] && sed -n 2p "$work/$long.out" | grep -q '"digest"'
check "a process module with a 128-character name runs and signs" [ $? -eq 0 ] ||
	sed "s/^/# /" "$work/$long.out"
sed -n 3,4p "$work/$long.out" | tr '\n' ' ' |
	grep -q '^400 {"message":"invalid parameter: module name longer than 64 characters: too long for a certificate"}'
check "its identity certificate: 400, the name is too long for a certificate" [ $? -eq 0 ] ||
	sed "s/^/# /" "$work/$long.out"
mgmt DELETE "/modules/$long" > /dev/null
long129=${long}m
out=$(mgmt POST /modules "{\"name\":\"$long129\",\"type\":\"process\",\"config\":{\"settings\":{\"exec\":\"/bin/true\"}}}" | head -n 1)
check "a 129-character module name: 400" [ "$out" = 400 ]

# --- management API ------------------------------------------------------------
out=$(mgmt GET /modules | tail -n 1)
echo "$out" | json "{'edgeHub','modA','modB','\$edgeHub','errs'} <= set(m['name'] for m in v['modules'])"
check "the module list has every module" [ $? -eq 0 ]
echo "$out" | json "all(m['status']['runtimeStatus']['status'] == 'stopped' and m['status']['exitStatus']['statusCode'] == '0' for m in v['modules'] if m['name'] in ('edgeHub','modA','modB','errs'))"
check "exited modules are stopped with exit code 0 and times" [ $? -eq 0 ]
out=$(mgmt POST /modules '{"name":"x","type":"process","config":{"settings":{"exec":"/bin/true"},"env":[{"key":"A","value":"1"},{"key":"A","value":"2"}]}}' | tr '\n' ' ')
[[ "$out" == '400 {"message":"invalid parameter: duplicate env key'* ]]
check "duplicate env keys: 400" [ $? -eq 0 ]
out=$(mgmt POST /modules '{"name":"edgeHub","type":"process","config":{"settings":{"exec":"/bin/true"}}}' | head -n 1)
check "an existing name: 409" [ "$out" = 409 ]
out=$(mgmt GET /modules/nope | tr '\n' ' ')
check "an unknown module: 404" [ "$out" = '404 {"message":"module not found"} ' ]
mgmt GET /identities | tail -n 1 | json "any(i['moduleId'] == 'edgeHub' and i['generationId'] == '637000000000000000' and i['authType'] == 'sas' for i in v['identities'])"
check "identities list the recorded generation id" [ $? -eq 0 ]
out=$(mgmt PUT /identities/modB | tail -n 1)
echo "$out" | json "v['moduleId'] == 'modB' and v['generationId'] != ''"
check "PUT /identities rotates the generation id" [ $? -eq 0 ]
out=$(mgmt GET /systeminfo | tail -n 1)
echo "$out" | json "v['osType'] == 'Linux' and v['provisioning']['type'] == 'manual.connection_string' and v['kernel_module']['loaded'] == ($([ "$kernel" = 1 ] && echo True || echo False))"
check "systeminfo names the provisioning and the kernel module" [ $? -eq 0 ]
mgmt GET /systeminfo/resources | tail -n 1 | json "v['total_ram'] > 0 and v['process_uptime'] >= 0 and isinstance(v['disks'], list)"
check "systeminfo/resources" [ $? -eq 0 ]
# A module may not manage others.
run_module rogue mgmt "$msock" DELETE "/modules/edgeHub?api-version=$api"
[ "$(tr '\n' ' ' < "$work/rogue.out")" = '403 {"message":"forbidden"} ' ]
check "a module that is not the agent gets 403 from a management mutation" [ $? -eq 0 ]

# Logs: tail and timestamps.
mgmt POST /modules '{"name":"talker","type":"process","config":{"settings":{"exec":"/bin/sh","args":["-c","for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2"]}}}' > /dev/null
mgmt POST /modules/talker/start > /dev/null
sleep 1
out=$(mgmt GET '/modules/talker/logs?tail=2' | tail -n +2 | grep -v '^$' | tr '\n' ' ')
check "logs?tail=2 gives the last two lines" [ "$out" = "line5 oops " ]
mgmt GET '/modules/talker/logs?timestamps=true&tail=1' | grep -v '^$' | tail -n 1 | grep -Eq '^20[0-9-]{8}T[0-9:.]+Z oops$'
check "logs?timestamps=true prefixes RFC 3339 times" [ $? -eq 0 ]

# --- restart and crash safety ---------------------------------------------------
mgmt POST /modules '{"name":"sleeper","type":"process","config":{"settings":{"exec":"/bin/sleep","args":["300"]}}}' > /dev/null
mgmt POST /modules/sleeper/start > /dev/null
stop_daemon
! pgrep -f '^/bin/sleep 300$' > /dev/null
check "SIGTERM stops the daemon's modules" [ $? -eq 0 ]
# The agent of [agent]: started by the daemon at boot, allowed to manage.
cat >> "$cfg" <<AGENT

[iotedge_max_requests]
management = 8
workload = 10

[agent]
name = "edgeAgent"
type = "process"

[agent.config]
exec = "$client"
args = ["mgmt", "$msock", "POST", "/modules?api-version=$api",
        '{"name":"fromAgent","type":"process","config":{"settings":{"exec":"/bin/true"}}}']
AGENT
if [ "$kernel" = 1 ]; then
	# What a crash between forgetting a module and unregistering it leaves.
	mkdir -p "$cgmnt/$cgbase/modules/orphan"
	"$ctl" register --name orphan --gen-id 1 --cgroup "$cgmnt/$cgbase/modules/orphan" > /dev/null
fi
start_daemon
if [ "$kernel" = 1 ]; then
	! "$ctl" list 2>/dev/null | grep -qw orphan
	check "a kernel registration under the module cgroups with no module is removed at start" [ $? -eq 0 ]
	rmdir "$cgmnt/$cgbase/modules/orphan"
fi
for i in $(seq 1 100); do
	out=$(mgmt GET /modules/sleeper)
	echo "$out" | tail -n 1 | json "v['status']['runtimeStatus']['status'] == 'running'" 2>/dev/null && break
	sleep 0.2
done
echo "$out" | tail -n 1 | json "v['status']['runtimeStatus']['status'] == 'running'" 2>/dev/null
check "after a restart, a module that was running runs again" [ $? -eq 0 ] ||
	echo "# last answer: $(echo "$out" | tr '\n' ' ')"
for i in $(seq 1 100); do
	mgmt GET /modules/edgeAgent | tail -n 1 |
		json "v['status']['runtimeStatus']['status'] != 'running' and 'exitStatus' in v['status']" 2>/dev/null && break
	sleep 0.1
done
[ "$(mgmt GET /modules/fromAgent | head -n 1)" = 200 ] &&
	mgmt GET /modules/edgeAgent/logs | sed -n 2p | grep -qx 201
check "the configured agent is started at boot and may create modules" [ $? -eq 0 ] ||
	mgmt GET /modules/edgeAgent/logs | sed "s/^/# agent: /"
mgmt GET /modules/edgeAgent | tail -n 1 | json "v['config']['settings']['exec'] == '$client'"
check "the agent's spec comes from [agent]" [ $? -eq 0 ]
mgmt GET /identities | tail -n 1 | json "any(i['moduleId'] == 'edgeAgent' for i in v['identities'])"
check "the agent has an identity" [ $? -eq 0 ]
if [ "$kernel" = 1 ]; then
	"$ctl" --json list 2>/dev/null | json "any(r['name'] == 'edgeAgent' and 'agent' in r['flags'] for r in v)"
	check "the agent's kernel registration is flagged agent" [ $? -eq 0 ]
fi
sed -i 's/^log_level = "debug"/log_level = "warn"/' "$cfg"
kill -HUP "$dpid"
sleep 0.5
kill -0 "$dpid" && grep -q 'reload: log level applied' "$work/daemon.log" &&
	[ "$(mgmt GET /systeminfo | head -n 1)" = 200 ]
check "SIGHUP reloads the configuration and the daemon keeps serving" [ $? -eq 0 ]
echo 'this is = not [valid' >> "$cfg"
kill -HUP "$dpid"
sleep 0.5
kill -0 "$dpid" && grep -q 'reload: .*keeping the running configuration' "$work/daemon.log"
check "a broken file on SIGHUP is reported and the running configuration kept" [ $? -eq 0 ]
sed -i '$d' "$cfg"

# [iotedge_max_requests]: connections at once per user of each API.
python3 - "$msock" <<'PY' > "$work/limit.out"
import socket, sys, time
held = []
for _ in range(8):
    c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); held.append(c)
time.sleep(0.3)
c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); c.settimeout(10)
# The answer may come (and the socket close) before the request is sent.
try:
    c.sendall(b"GET /systeminfo?api-version=2022-08-03 HTTP/1.1\r\nHost: x\r\n\r\n")
except (BrokenPipeError, ConnectionResetError):
    pass
data = b""
while True:
    try:
        d = c.recv(4096)
    except ConnectionResetError:
        # A request the server never read resets the socket after the answer.
        break
    if not d: break
    data += d
print(data.split(b"\r\n")[0].decode(), data.split(b"\r\n\r\n", 1)[-1].decode())
PY
[ "$(cat "$work/limit.out")" = 'HTTP/1.1 503 Service Unavailable {"message":"too many connections from uid 0 (limit 8)"}' ]
check "[iotedge_max_requests] management = 8: a ninth connection of a user gets 503" [ $? -eq 0 ] ||
	sed 's/^/# /' "$work/limit.out"

# The agent's watchdog: an agent that ended is started again a minute
# later, not before. Kernel-independent, so only on the host (a minute of
# emulated VM time per kernel would buy nothing more).
if [ "$kernel" != 1 ]; then
	times() {
		mgmt GET /modules/edgeAgent | tail -n 1 | python3 -c '
import datetime, json, sys
s = json.load(sys.stdin)["status"]
t = lambda x: datetime.datetime.fromisoformat(x.replace("Z", "+00:00")).timestamp()
print(t(s["startTime"]), t(s["exitStatus"]["exitTime"]) if "exitStatus" in s else 0)'
	}
	read -r start0 exit0 < <(times)
	for i in $(seq 1 80); do
		read -r start1 exit1 < <(times)
		[ "$start1" != "$start0" ] && break
		sleep 1
	done
	python3 -c 'import sys; s0, e0, s1 = map(float, sys.argv[1:]); sys.exit(not (e0 > s0 and 58 <= s1 - e0 <= 75))' \
		"$start0" "$exit0" "$start1" &&
		mgmt GET /modules/edgeAgent/logs | grep -qx 409
	check "the agent watchdog starts an ended agent again after a minute" [ $? -eq 0 ] ||
		echo "# start $start0, exit $exit0, next start $start1"
fi

kill -9 "$dpid"; wait "$dpid" 2>/dev/null; dpid=
pkill -f '^/bin/sleep 300$'
# Under emulation (the VM) a round takes seconds: fewer of them there.
rounds=$([ "$kernel" = 1 ] && echo 5 || echo 15)
bad=0
for i in $(seq 1 "$rounds"); do
	start_daemon || { bad=1; break; }
	for j in 1 2 3 4; do
		mgmt POST /modules "{\"name\":\"crash$i-$j\",\"type\":\"process\",\"config\":{\"settings\":{\"exec\":\"/bin/true\"}}}" > /dev/null &
	done
	workload POST "/modules/x/certificate/identity?api-version=$api" > /dev/null &
	sleep "0.$((RANDOM % 50))"
	kill -9 "$dpid"; wait "$dpid" 2>/dev/null; dpid=
	wait
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$state/state.json" || { bad=2; break; }
	ls "$state" | grep -q '^\.tmp-' && ls "$state" >> "$work/daemon.log"
done
start_daemon || bad=3
check "kill -9 during module creation and issuance, $rounds times: every restart loads the state" [ "$bad" -eq 0 ]
listed=$(mgmt GET /modules | tail -n 1 | python3 -c 'import json,sys; print(len([m for m in json.load(sys.stdin)["modules"] if m["name"].startswith("crash")]))')
recorded=$(python3 -c 'import json,sys; print(len([m for m in json.load(open(sys.argv[1]))["modules"] if m["name"].startswith("crash")]))' "$state/state.json")
check "modules created before the kills are all there ($listed)" [ "$listed" = "$recorded" ] ||
	{ echo "# recorded $recorded; GET /modules:"; mgmt GET /modules | head -c 400 | sed 's/^/#   /'; }
out=$(workload GET "/trust-bundle?api-version=$api" | head -n 1)
check "the edge CA survived the kills" [ "$out" = 200 ]

# systemd: sockets passed by socket activation (fd:// in [listen]) and the
# readiness notification, with systemd's own tools standing in for PID 1.
if command -v systemd-socket-activate > /dev/null; then
	stop_daemon
	sed -i -e '/^\[listen\]/,/^$/ s|^workload_uri = .*|workload_uri = "fd://edgewardd.workload.socket"|' \
	       -e '/^\[listen\]/,/^$/ s|^management_uri = .*|management_uri = "fd://edgewardd.mgmt.socket"|' "$cfg"
	rm -f "$wsock" "$msock"
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(60)
with open(sys.argv[2], "w") as f:
    while True:
        m = s.recv(4096).decode(); f.write(m + "\n"); f.flush()
        if "READY=1" in m: break
' "$work/notify.sock" "$work/notify.log" &
	npid=$!
	sleep 0.3
	NOTIFY_SOCKET=$work/notify.sock systemd-socket-activate \
		-l "$wsock" -l "$msock" \
		--fdname=edgewardd.workload.socket:edgewardd.mgmt.socket \
		-E NOTIFY_SOCKET "$daemon" -c "$cfg" >> "$work/daemon.log" 2>&1 &
	dpid=$!
	for i in $(seq 1 50); do [ -S "$msock" ] && break; sleep 0.1; done
	out=$(mgmt GET /systeminfo | head -n 1)
	wait "$npid" 2>/dev/null
	[ "$out" = 200 ] && [ "$(workload GET "/trust-bundle?api-version=$api" | head -n 1)" = 200 ]
	check "socket activation: both APIs served on the sockets systemd passed (fd://)" [ $? -eq 0 ]
	grep -qx 'READY=1' "$work/notify.log" 2>/dev/null
	check "readiness is notified to \$NOTIFY_SOCKET (Type=notify)" [ $? -eq 0 ]
else
	skip "socket activation (fd://)" "systemd-socket-activate not installed"
	skip "readiness notification" "systemd-socket-activate not installed"
fi
# The units as systemd reads them (ExecStart pointed at this build).
if command -v systemd-analyze > /dev/null; then
	mkdir -p "$work/units"
	sed "s|^ExecStart=.*|ExecStart=$daemon|" "$top/userspace/systemd/edgewardd.service" \
		> "$work/units/edgewardd.service"
	cp "$top"/userspace/systemd/*.socket "$work/units/"
	(cd "$work/units" && systemd-analyze verify --man=no ./edgewardd.service \
		./edgewardd.workload.socket ./edgewardd.mgmt.socket) > "$work/verify.log" 2>&1
	# Unknown keys and bad values are warnings only: any output fails.
	[ $? -eq 0 ] && [ ! -s "$work/verify.log" ]
	check "the systemd units pass systemd-analyze verify, without a warning" [ $? -eq 0 ] ||
		sed 's/^/# /' "$work/verify.log"
else
	skip "systemd-analyze verify of the units" "systemd-analyze not installed"
fi

# Clean up every module (and its cgroup).
for m in $(mgmt GET /modules | tail -n 1 | python3 -c 'import json,sys; print(" ".join(m["name"] for m in json.load(sys.stdin)["modules"]))'); do
	mgmt DELETE "/modules/$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$m")" > /dev/null
done
left=$(find "$cgmnt/$cgbase/modules" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
check "deleting the modules removes their cgroups" [ "$left" -eq 0 ]
if [ "$fail" -ne 0 ]; then
	for f in rogue talker; do echo "# $f:"; sed 's/^/#   /' "$work/$f.out" 2>/dev/null; done
	echo "# daemon log (last 40 lines):"
	tail -40 "$work/daemon.log" | sed 's/^/#   /'
fi
finish
