/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * Documentation
 * =============
 *
 * The edgeward kernel module keeps a registry of edge modules, keyed by the
 * cgroup v2 each module runs in, and a mode saying how the processes of
 * registered modules are judged. User space (the edgewardd daemon, the
 * edgewardctl tool, or the kernel's YNL CLI with uapi/edgeward.yaml) drives it
 * over the generic netlink family EDGEWARD_FAMILY_NAME, version
 * EDGEWARD_FAMILY_VERSION.
 *
 * Who may call
 * ------------
 *
 * Every command requires CAP_SYS_ADMIN in the initial user namespace, checked
 * against both the opener of the netlink socket and the sender; the multicast
 * group EDGEWARD_MCGRP_EVENTS requires CAP_SYS_ADMIN to join. The family is
 * registered in the initial network namespace only: from any other network
 * namespace, resolving "edgeward" fails with ENOENT. A caller without the
 * capability gets EPERM.
 *
 * Validation
 * ----------
 *
 * Every command is strictly validated before it runs: unknown attributes,
 * attributes a command does not take, attributes of the wrong type, strings
 * that are too long or not NUL-terminated, trailing bytes and non-zero
 * reserved header fields are rejected with EINVAL; a digest of the wrong
 * length or a mode outside enum edgeward_mode with ERANGE. Rejections carry
 * an extended ACK message (and, where it applies, the offending or missing
 * attribute), so request NETLINK_EXT_ACK on the socket. Unknown commands,
 * notification commands included, are EOPNOTSUPP.
 *
 * Naming a cgroup
 * ---------------
 *
 * Commands that name a registration take exactly one of:
 *
 *    EDGEWARD_A_REG_CGROUP_FD: NLA_S32, an open file descriptor, in the
 *                              caller's file table, of a cgroup v2 directory.
 *                              Race-free: the directory cannot be swapped
 *                              between the caller opening it and the kernel
 *                              resolving it. Anything else (a cgroup v1
 *                              directory, a regular file, a closed fd) is
 *                              EBADF; a removed cgroup is ENOENT.
 *    EDGEWARD_A_REG_CGROUP_ID: NLA_U64, the cgroup id (the inode number of the
 *                              directory in cgroupfs, also its file handle).
 *                              An id that names no live cgroup visible from
 *                              the caller's cgroup namespace is ENOENT.
 *
 * Giving both or neither is EINVAL. The root cgroup, which holds every process
 * of the system, cannot be registered (EINVAL), nor can a cgroup nested more
 * than 63 levels deep. A registration covers its cgroup and every
 * descendant; a process is governed by the registration of its nearest
 * registered ancestor cgroup (its own cgroup included).
 *
 * Commands
 * --------
 *
 * EDGEWARD_CMD_STATUS_GET: takes no attributes; replies with
 *
 *    EDGEWARD_A_STATUS_VERSION: NUL-terminated string, the module version
 *    EDGEWARD_A_STATUS_MODE: NLA_U32, an enum edgeward_mode
 *    EDGEWARD_A_STATUS_REG_COUNT: NLA_U32, number of registrations
 *    EDGEWARD_A_STATUS_GENERATION: NLA_U32, registry generation, changed by
 *                                  every registration added or removed
 *    EDGEWARD_A_STATUS_EVENT_SEQ: NLA_U64, sequence number of the last event
 *                                 sent on EDGEWARD_MCGRP_EVENTS (0: none yet)
 *    EDGEWARD_A_STATUS_IMA: NLA_U32, an enum edgeward_ima_state
 *    EDGEWARD_A_STATUS_KEYRING: NLA_U32, an enum edgeward_keyring_state
 *    EDGEWARD_A_STATUS_KEYRING_ID: NLA_U32, the serial number of the
 *                                  .edgeward keyring (for keyctl), 0 if absent
 *    EDGEWARD_A_STATUS_LOCKED: NLA_U32, 1 once EDGEWARD_CMD_LOCK was given
 *
 * EDGEWARD_CMD_REG_NEW: registers a module. Takes the cgroup (above) and
 *
 *    EDGEWARD_A_REG_NAME: NUL-terminated string, required, the module name:
 *                         1 to EDGEWARD_NAME_MAX_LEN bytes of ASCII letters,
 *                         digits and - : . + % _ # * ? ! ( ) , = @ $ '
 *                         (the alphabet of IoT Hub module ids)
 *    EDGEWARD_A_REG_GEN_ID: NUL-terminated string, required, the generation
 *                           id of the module; same alphabet and limits
 *    EDGEWARD_A_REG_DIGEST: binary, exactly EDGEWARD_DIGEST_LEN bytes, the
 *                           SHA-256 digest of an executable the module may
 *                           run; may be given up to EDGEWARD_DIGESTS_MAX times
 *    EDGEWARD_A_REG_MODE: NLA_U32, optional, an enum edgeward_mode for this
 *                         registration; absent, the global mode applies
 *    EDGEWARD_A_REG_SIGNER: NLA_U32, the id of a key in the .edgeward keyring
 *                           whose IMA signatures the module may run (the key
 *                           id of the signature header: the last four bytes
 *                           of the key's subject key identifier); may be
 *                           given up to EDGEWARD_SIGNERS_MAX times
 *    EDGEWARD_A_REG_FLAGS: NLA_U32, optional, enum edgeward_reg_flags bits
 *    EDGEWARD_A_REG_MANIFEST_SIG: binary, at most EDGEWARD_MANIFEST_SIG_MAX
 *                                 bytes, optional: a signed manifest (below)
 *
 * and replies as EDGEWARD_CMD_REG_GET does. Errors: EEXIST if the cgroup is
 * already registered (delete it first), ENOSPC past EDGEWARD_REGS_MAX
 * registrations, E2BIG past EDGEWARD_DIGESTS_MAX digests, EINVAL for a name or
 * generation id outside the alphabet.
 *
 * EDGEWARD_CMD_REG_DEL: removes the registration of the cgroup (above). ENOENT
 * if it is not registered. A registration outlives its cgroup: when the cgroup
 * is removed, the registration stays (with its last path) until deleted, by
 * EDGEWARD_A_REG_CGROUP_ID since there is no directory left to open.
 *
 * EDGEWARD_CMD_REG_GET: as a do, takes the cgroup (above) and replies with one
 * registration; as a dump (NLM_F_DUMP), takes no attributes and replies with
 * every registration in ascending cgroup id order. Each registration is
 *
 *    EDGEWARD_A_REG_CGROUP_ID: NLA_U64
 *    EDGEWARD_A_REG_CGROUP_PATH: NUL-terminated string, the cgroup's path
 *                                relative to the caller's cgroup namespace
 *    EDGEWARD_A_REG_NAME: NUL-terminated string
 *    EDGEWARD_A_REG_GEN_ID: NUL-terminated string
 *    EDGEWARD_A_REG_DIGEST: binary, zero or more times
 *    EDGEWARD_A_REG_MODE: NLA_U32, only if the registration has its own mode
 *    EDGEWARD_A_REG_FLAGS: NLA_U32, only if not 0
 *    EDGEWARD_A_REG_SIGNER: NLA_U32, zero or more times
 *
 * A dump spans several messages; if the registry changed while it was being
 * read, the messages after the change carry NLM_F_DUMP_INTR, and the reader
 * should dump again.
 *
 * EDGEWARD_CMD_REG_SET: replaces the registration of the cgroup (above) with
 * the name, generation id, digests and mode of the request, as one step: no
 * process is ever judged by half of the old registration and half of the new.
 * Takes and replies as EDGEWARD_CMD_REG_NEW; ENOENT if the cgroup is not
 * registered.
 *
 * EDGEWARD_CMD_ATTEST: says who a process is. Takes exactly one of
 *
 *    EDGEWARD_A_TASK_SOCK_FD: NLA_S32, a connected Unix socket in the caller's
 *                             file table; its peer (the process that called
 *                             connect(), or socketpair()) is attested. The
 *                             socket holds the peer's struct pid, not its
 *                             number: a peer that exited is never confused
 *                             with a process that reused its pid.
 *    EDGEWARD_A_TASK_PID: NLA_U32, a process id in the caller's pid namespace,
 *                         for diagnostics only (a number can be reused: check
 *                         EDGEWARD_A_TASK_START_TIME)
 *
 * and replies with EDGEWARD_A_TASK_VERDICT (the verdict on the process's
 * executable as it is now, as the exec gate would give it), _PID (in the
 * caller's pid namespace), _START_TIME (NLA_U64, nanoseconds since boot),
 * _CGROUP_ID, _REG_CGROUP_ID, _NAME, _GEN_ID, _DIGEST (absent when the
 * verdict is unmeasured or unjudged) and _PATH (empty if the kernel cannot
 * name the file). Errors: ESRCH if the process has exited, ENOENT if no
 * registration governs it or it is a kernel thread, ENOTSOCK, EPROTOTYPE
 * (not a Unix socket) or ENOTCONN for an unusable socket, EBADF for a closed
 * fd.
 *
 * EDGEWARD_CMD_LOCK: takes nothing; locks the module until reboot. From then
 * on the global mode can only be raised (off < audit < enforce: lowering it
 * is EPERM), every EDGEWARD_CMD_REG_NEW and EDGEWARD_CMD_REG_SET must carry a
 * valid signed manifest (EPERM otherwise), and the module cannot be
 * unloaded. Locking again is a no-op. Deleting registrations stays possible:
 * the daemon removes modules.
 *
 * EDGEWARD_CMD_MODE_SET: takes
 *
 *    EDGEWARD_A_MODE_MODE: NLA_U32, required, an enum edgeward_mode
 *
 * and sets the global mode. Setting the current mode again is a no-op that
 * sends no event. The module starts in the mode given by its "mode" parameter,
 * EDGEWARD_MODE_AUDIT by default.
 *
 * Judging executables
 * -------------------
 *
 * Every execve() by a process governed by a registration is measured (SHA-256
 * of the file, from IMA when it has one, else computed, and cached until the
 * file changes) before the new program runs. A script is judged twice: as
 * itself and as its interpreter. It is allowed if its digest is in the
 * registration, or if it carries a valid IMA signature (security.ima,
 * version 2, SHA-256, as "evmctl ima_sign" writes it) by one of the
 * registration's signers, a key in the .edgeward keyring. Not allowed: then
 * in enforce mode execve() fails with EPERM before the
 * program executes an instruction, in audit mode it runs; both send an
 * EDGEWARD_CMD_EXEC_NTF event. A file that cannot be measured runs (edgeward
 * fails open on its own errors) and is reported as unmeasured. The effective
 * mode of a registration is off when the global mode is off, else the
 * registration's own mode if it has one, else the global mode. Processes
 * outside registered cgroups are never affected.
 *
 * The IMA measurement log
 * -----------------------
 *
 * Every registration added, removed or replaced, every change of the global
 * mode and every execve() denied in enforce mode is recorded with
 * ima_measure_critical_data() under the label "edgeward", so that a remote
 * verifier (PCR 10 and the IMA log, e.g. Keylime's ima-buf policy) sees the
 * device's registry. The event names are stable: edgeward-reg-add,
 * edgeward-reg-del, edgeward-reg-change, edgeward-mode, edgeward-lock,
 * edgeward-exec-denied.
 * The buffer is text, one "key=value" per line: for the edgeward-reg-*
 * records the registration's canonical manifest (see "Signed manifests")
 * followed by cgroup_id and cgroup_path; for edgeward-mode the mode; for
 * edgeward-lock "locked=1"; for edgeward-exec-denied name, gen_id, cgroup_id,
 * pid, digest and path. Paths are escaped as printk's %pE does. They are logged
 * only if the IMA policy has a rule such as
 *
 *    measure func=CRITICAL_DATA label=edgeward template=ima-buf
 *
 * EDGEWARD_A_STATUS_IMA says whether it does.
 *
 * The .edgeward keyring
 * ---------------------
 *
 * The module owns a keyring named ".edgeward" (its serial number is in the
 * status). Keys are added with keyctl (e.g. "keyctl padd asymmetric ''
 * SERIAL < cert.der"); the keyring takes only X.509 certificates signed by a
 * key of the kernel's builtin or secondary trusted keyrings, anything else is
 * rejected. Test builds of the module (EW_TEST_KEYS=1) have a test_keys
 * parameter that lifts the restriction; the status then says test-keys.
 *
 * Signed manifests
 * ----------------
 *
 * A registration request may carry EDGEWARD_A_REG_MANIFEST_SIG: a detached
 * PKCS#7 or CMS signature, in DER (e.g. "openssl cms -sign -binary -noattr
 * -outform DER -md sha256"), over the request's canonical manifest, made with
 * a key of the .edgeward keyring. The canonical manifest is text, every line
 * ending with '\n', in this order:
 *
 *    edgeward-manifest-v1
 *    name=<name>
 *    gen_id=<generation id>
 *    mode=<inherit|off|audit|enforce>
 *    flags=<EDGEWARD_A_REG_FLAGS in decimal, 0 if absent>
 *    digest=<64 lowercase hex digits>    one line per digest, request order
 *    signer=<8 lowercase hex digits>     one line per signer, request order
 *
 * The cgroup is not part of it: a manifest names a module, wherever the
 * daemon runs it. A signature is required when the request sets
 * EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST, when it replaces a registration
 * that has it, and for every request once the module is locked; a missing
 * one is EPERM, one that does not verify (tampered manifest, unknown or
 * untrusted key, malformed) is EKEYREJECTED, each with a message. A valid
 * signature on a request that needs none is checked all the same.
 *
 * Events
 * ------
 *
 * Members of EDGEWARD_MCGRP_EVENTS receive one message for every change, each
 * with a sequence number one above the previous event's (the first event after
 * the module loads is 1). A gap means messages were lost (the socket's receive
 * buffer overflowed, recv() then also fails with ENOBUFS): resynchronise with
 * EDGEWARD_CMD_STATUS_GET and a dump. To follow the registry without a race,
 * join the group first, then dump, then apply events whose sequence number is
 * above the EDGEWARD_A_STATUS_EVENT_SEQ read before the dump.
 *
 * EDGEWARD_CMD_REG_ADD_NTF, EDGEWARD_CMD_REG_DEL_NTF: a registration was added
 *     or removed; the attributes of EDGEWARD_CMD_REG_GET, plus
 *     EDGEWARD_A_REG_SEQ (NLA_U64).
 * EDGEWARD_CMD_MODE_CHANGE_NTF: the global mode changed; EDGEWARD_A_MODE_MODE
 *     and EDGEWARD_A_MODE_SEQ (NLA_U64).
 * EDGEWARD_CMD_REG_CHANGE_NTF: a registration was replaced (EDGEWARD_CMD_REG_SET);
 *     the new registration and EDGEWARD_A_REG_SEQ.
 * EDGEWARD_CMD_LOCK_NTF: the module was locked; EDGEWARD_A_MODE_SEQ.
 * EDGEWARD_CMD_EXEC_NTF: an executable was denied, audited or unmeasured:
 *
 *    EDGEWARD_A_TASK_VERDICT: NLA_U32, an enum edgeward_verdict
 *    EDGEWARD_A_TASK_PID: NLA_U32, the process (thread group) id in the
 *                         initial pid namespace
 *    EDGEWARD_A_TASK_CGROUP_ID: NLA_U64, the cgroup of the process
 *    EDGEWARD_A_TASK_REG_CGROUP_ID: NLA_U64, the registered cgroup governing it
 *    EDGEWARD_A_TASK_NAME, EDGEWARD_A_TASK_GEN_ID: strings, the registration's
 *    EDGEWARD_A_TASK_DIGEST: binary, EDGEWARD_DIGEST_LEN bytes (absent when
 *                            unmeasured)
 *    EDGEWARD_A_TASK_PATH: string, the executable's path (empty if the
 *                          kernel cannot name the file)
 *    EDGEWARD_A_TASK_SEQ: NLA_U64
 *
 * NLA_U64 attributes are 64-bit aligned with EDGEWARD_A_*_PAD where the
 * architecture needs it; readers skip PAD attributes.
 */

#ifndef _UAPI_LINUX_EDGEWARD_H
#define _UAPI_LINUX_EDGEWARD_H

#define EDGEWARD_FAMILY_NAME	"edgeward"
#define EDGEWARD_FAMILY_VERSION	1

#define EDGEWARD_NAME_MAX_LEN	128
#define EDGEWARD_DIGEST_LEN	32
#define EDGEWARD_DIGESTS_MAX	64
#define EDGEWARD_SIGNERS_MAX	16
#define EDGEWARD_MANIFEST_SIG_MAX	8192
#define EDGEWARD_REGS_MAX	4096

/**
 * enum edgeward_mode - how the kernel judges the processes of registered
 *   modules
 * @EDGEWARD_MODE_OFF: nothing is measured or judged
 * @EDGEWARD_MODE_AUDIT: verdicts are computed and reported, never enforced
 * @EDGEWARD_MODE_ENFORCE: verdicts are enforced
 */
enum edgeward_mode {
	EDGEWARD_MODE_OFF = 1,
	EDGEWARD_MODE_AUDIT,
	EDGEWARD_MODE_ENFORCE,

	/* private: */
	__EDGEWARD_MODE_MAX,
	EDGEWARD_MODE_MAX = (__EDGEWARD_MODE_MAX - 1)
};

/**
 * enum edgeward_ima_state - what the kernel's IMA can do for edgeward
 * @EDGEWARD_IMA_STATE_ABSENT: the kernel was built without IMA
 * @EDGEWARD_IMA_STATE_AVAILABLE: IMA is built in; edgeward has recorded
 *   nothing yet
 * @EDGEWARD_IMA_STATE_NOT_CONFIGURED: IMA is built in but its policy has no
 *   rule for edgeward's records (measure func=CRITICAL_DATA label=edgeward):
 *   they are not logged
 * @EDGEWARD_IMA_STATE_MEASURING: edgeward's records are in the IMA
 *   measurement log
 */
enum edgeward_ima_state {
	EDGEWARD_IMA_STATE_ABSENT = 1,
	EDGEWARD_IMA_STATE_AVAILABLE,
	EDGEWARD_IMA_STATE_NOT_CONFIGURED,
	EDGEWARD_IMA_STATE_MEASURING,

	/* private: */
	__EDGEWARD_IMA_STATE_MAX,
	EDGEWARD_IMA_STATE_MAX = (__EDGEWARD_IMA_STATE_MAX - 1)
};

/**
 * enum edgeward_keyring_state - the .edgeward keyring, whose keys sign
 *   executables and manifests
 * @EDGEWARD_KEYRING_STATE_ABSENT: the kernel cannot verify signatures (built
 *   without SYSTEM_DATA_VERIFICATION)
 * @EDGEWARD_KEYRING_STATE_AVAILABLE: the keyring exists and takes only keys
 *   vouched for by the kernel's builtin or secondary trusted keys
 * @EDGEWARD_KEYRING_STATE_TEST_KEYS: the keyring takes any key: a test build
 *   loaded with test_keys=1, never on a production device
 */
enum edgeward_keyring_state {
	EDGEWARD_KEYRING_STATE_ABSENT = 1,
	EDGEWARD_KEYRING_STATE_AVAILABLE,
	EDGEWARD_KEYRING_STATE_TEST_KEYS,

	/* private: */
	__EDGEWARD_KEYRING_STATE_MAX,
	EDGEWARD_KEYRING_STATE_MAX = (__EDGEWARD_KEYRING_STATE_MAX - 1)
};

/**
 * enum edgeward_reg_flags - what a registration is and what it demands
 * @EDGEWARD_REG_FLAGS_AGENT: the module is the privileged edge agent
 * @EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST: every reg-new or reg-set of
 *   this registration must carry a valid manifest signature; so must the
 *   reg-set that would drop this flag
 */
enum edgeward_reg_flags {
	EDGEWARD_REG_FLAGS_AGENT = 1,
	EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST = 2,
};

/**
 * enum edgeward_verdict - what edgeward concluded about a process or an
 *   executable
 * @EDGEWARD_VERDICT_ALLOWED: the executable's digest is in the registration
 * @EDGEWARD_VERDICT_DENIED: not allowed, in enforce mode; execve() failed with
 *   EPERM
 * @EDGEWARD_VERDICT_AUDITED: not allowed, in audit mode; it ran
 * @EDGEWARD_VERDICT_UNMEASURED: the executable could not be measured; it ran
 *   (edgeward fails open)
 * @EDGEWARD_VERDICT_UNJUDGED: the registration's mode is off; nothing was
 *   judged
 * @EDGEWARD_VERDICT_SIGNED: the executable carries a valid IMA signature
 *   (security.ima, v2) by a key in the .edgeward keyring that the
 *   registration allows
 */
enum edgeward_verdict {
	EDGEWARD_VERDICT_ALLOWED = 1,
	EDGEWARD_VERDICT_DENIED,
	EDGEWARD_VERDICT_AUDITED,
	EDGEWARD_VERDICT_UNMEASURED,
	EDGEWARD_VERDICT_UNJUDGED,
	EDGEWARD_VERDICT_SIGNED,

	/* private: */
	__EDGEWARD_VERDICT_MAX,
	EDGEWARD_VERDICT_MAX = (__EDGEWARD_VERDICT_MAX - 1)
};

enum {
	EDGEWARD_A_STATUS_PAD = 1,
	EDGEWARD_A_STATUS_VERSION,
	EDGEWARD_A_STATUS_MODE,
	EDGEWARD_A_STATUS_REG_COUNT,
	EDGEWARD_A_STATUS_GENERATION,
	EDGEWARD_A_STATUS_EVENT_SEQ,
	EDGEWARD_A_STATUS_IMA,
	EDGEWARD_A_STATUS_KEYRING,
	EDGEWARD_A_STATUS_KEYRING_ID,
	EDGEWARD_A_STATUS_LOCKED,

	__EDGEWARD_A_STATUS_MAX,
	EDGEWARD_A_STATUS_MAX = (__EDGEWARD_A_STATUS_MAX - 1)
};

enum {
	EDGEWARD_A_REG_PAD = 1,
	EDGEWARD_A_REG_CGROUP_ID,
	EDGEWARD_A_REG_CGROUP_FD,
	EDGEWARD_A_REG_CGROUP_PATH,
	EDGEWARD_A_REG_NAME,
	EDGEWARD_A_REG_GEN_ID,
	EDGEWARD_A_REG_DIGEST,
	EDGEWARD_A_REG_SEQ,
	EDGEWARD_A_REG_MODE,
	EDGEWARD_A_REG_FLAGS,
	EDGEWARD_A_REG_MANIFEST_SIG,
	EDGEWARD_A_REG_SIGNER,

	__EDGEWARD_A_REG_MAX,
	EDGEWARD_A_REG_MAX = (__EDGEWARD_A_REG_MAX - 1)
};

enum {
	EDGEWARD_A_MODE_PAD = 1,
	EDGEWARD_A_MODE_MODE,
	EDGEWARD_A_MODE_SEQ,

	__EDGEWARD_A_MODE_MAX,
	EDGEWARD_A_MODE_MAX = (__EDGEWARD_A_MODE_MAX - 1)
};

enum {
	EDGEWARD_A_TASK_PAD = 1,
	EDGEWARD_A_TASK_VERDICT,
	EDGEWARD_A_TASK_PID,
	EDGEWARD_A_TASK_CGROUP_ID,
	EDGEWARD_A_TASK_REG_CGROUP_ID,
	EDGEWARD_A_TASK_NAME,
	EDGEWARD_A_TASK_GEN_ID,
	EDGEWARD_A_TASK_DIGEST,
	EDGEWARD_A_TASK_PATH,
	EDGEWARD_A_TASK_SEQ,
	EDGEWARD_A_TASK_SOCK_FD,
	EDGEWARD_A_TASK_START_TIME,

	__EDGEWARD_A_TASK_MAX,
	EDGEWARD_A_TASK_MAX = (__EDGEWARD_A_TASK_MAX - 1)
};

enum {
	EDGEWARD_CMD_STATUS_GET = 1,
	EDGEWARD_CMD_REG_NEW,
	EDGEWARD_CMD_REG_DEL,
	EDGEWARD_CMD_REG_GET,
	EDGEWARD_CMD_MODE_SET,
	EDGEWARD_CMD_REG_ADD_NTF,
	EDGEWARD_CMD_REG_DEL_NTF,
	EDGEWARD_CMD_MODE_CHANGE_NTF,
	EDGEWARD_CMD_REG_SET,
	EDGEWARD_CMD_REG_CHANGE_NTF,
	EDGEWARD_CMD_EXEC_NTF,
	EDGEWARD_CMD_ATTEST,
	EDGEWARD_CMD_LOCK,
	EDGEWARD_CMD_LOCK_NTF,

	__EDGEWARD_CMD_MAX,
	EDGEWARD_CMD_MAX = (__EDGEWARD_CMD_MAX - 1)
};

#define EDGEWARD_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_EDGEWARD_H */
