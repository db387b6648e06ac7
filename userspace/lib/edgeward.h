/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libedgeward: the netlink client of the edgeward kernel module, used by
 * edgewardd, edgewardctl and the selftests. The wire contract it speaks is
 * uapi/linux/edgeward.h.
 *
 * Every call that can fail returns 0 or a negative errno and, when given a
 * struct ew_error, fills it with the errno and a one-line message: the
 * kernel's extended ACK message when there is one, else a description of what
 * failed ("kernel module not loaded", "permission denied: ...").
 */
#ifndef EDGEWARD_LIB_H
#define EDGEWARD_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/edgeward.h>

struct nl_msg;
struct nl_sock;

#define EW_PATH_MAX 4096

struct ew_error {
	int err;		/* negative errno, 0 if none */
	char msg[256];		/* human-readable, never empty when err < 0 */
	uint32_t missing_attr;	/* NLMSGERR_ATTR_MISS_TYPE if the kernel sent it, else 0 */
	uint32_t bad_attr_offset; /* NLMSGERR_ATTR_OFFS if the kernel sent it, else 0 */
};

/* Resets e (may be NULL) to "no error". */
void ew_err_clear(struct ew_error *e);
/* Fills e (may be NULL) with err and a formatted message; returns err. */
int ew_err_set(struct ew_error *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct ew_client;

int ew_client_open(struct ew_client **out, struct ew_error *e);
void ew_client_close(struct ew_client *c);

struct ew_status {
	char version[64];
	uint32_t mode;		/* enum edgeward_mode */
	uint32_t reg_count;
	uint32_t generation;
	uint64_t event_seq;
	uint32_t ima;		/* enum edgeward_ima_state */
	uint32_t keyring;	/* enum edgeward_keyring_state */
	uint32_t keyring_id;	/* serial of the .edgeward keyring (keyctl), 0 if absent */
	bool locked;		/* EDGEWARD_CMD_LOCK was given (until reboot) */
};

int ew_status_get(struct ew_client *c, struct ew_status *st, struct ew_error *e);

struct ew_reg {
	uint64_t cgroup_id;
	char cgroup_path[EW_PATH_MAX];
	char name[EDGEWARD_NAME_MAX_LEN + 1];
	char gen_id[EDGEWARD_NAME_MAX_LEN + 1];
	unsigned int n_digests;
	uint8_t digests[EDGEWARD_DIGESTS_MAX][EDGEWARD_DIGEST_LEN];
	uint32_t mode;		/* enum edgeward_mode of its own; 0: follows the global mode */
	uint32_t flags;		/* enum edgeward_reg_flags bits */
	unsigned int n_signers;
	uint32_t signers[EDGEWARD_SIGNERS_MAX];	/* key ids, in the kernel's order */
};

/* Every bit of enum edgeward_reg_flags this library knows. */
#define EW_REG_FLAGS_ALL \
	(EDGEWARD_REG_FLAGS_AGENT | EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST)

/* Names a cgroup: by open directory fd when fd >= 0, else by id. */
struct ew_cgroup_ref {
	int fd;
	uint64_t id;
};

struct ew_reg_spec {
	struct ew_cgroup_ref cgroup;
	const char *name;
	const char *gen_id;
	unsigned int n_digests;
	const uint8_t (*digests)[EDGEWARD_DIGEST_LEN];
	uint32_t mode;		/* enum edgeward_mode; 0: none sent (follow the global mode) */
	unsigned int n_signers;	/* up to EDGEWARD_SIGNERS_MAX; 0: none sent */
	const uint32_t *signers;	/* key ids of the .edgeward keyring, in order */
	uint32_t flags;		/* EW_REG_FLAGS_ALL bits; 0: none sent */
	/*
	 * A detached PKCS#7/CMS signature (DER) over the canonical manifest of
	 * this spec (ew_manifest_text), up to EDGEWARD_MANIFEST_SIG_MAX bytes;
	 * a length of 0 sends none.
	 */
	const uint8_t *manifest_sig;
	size_t manifest_sig_len;
};

/* out may be NULL. */
int ew_reg_new(struct ew_client *c, const struct ew_reg_spec *spec,
	       struct ew_reg *out, struct ew_error *e);
/*
 * Replaces the registration of spec->cgroup, in one step, with spec (a mode
 * of 0 makes it follow the global mode). -ENOENT if it is not registered.
 * out may be NULL.
 */
int ew_reg_set(struct ew_client *c, const struct ew_reg_spec *spec,
	       struct ew_reg *out, struct ew_error *e);
int ew_reg_del(struct ew_client *c, struct ew_cgroup_ref cg, struct ew_error *e);
int ew_reg_get(struct ew_client *c, struct ew_cgroup_ref cg, struct ew_reg *out,
	       struct ew_error *e);
/*
 * Dumps every registration into a malloc'ed array (free with free()). A dump
 * flagged NLM_F_DUMP_INTR is retried, up to 10 times, then -EAGAIN.
 */
int ew_reg_list(struct ew_client *c, struct ew_reg **regs, size_t *n,
		struct ew_error *e);
int ew_mode_set(struct ew_client *c, uint32_t mode, struct ew_error *e);
/*
 * Locks the module until reboot (EDGEWARD_CMD_LOCK): from then on the global
 * mode can only be raised, every registration needs a signed manifest and
 * the module cannot be unloaded. Locking again is a no-op.
 */
int ew_lock(struct ew_client *c, struct ew_error *e);

/*
 * The canonical manifest of spec, as the "Signed manifests" section of
 * uapi/linux/edgeward.h specifies it: the text a manifest signature is made
 * over. spec->cgroup and spec->manifest_sig are not part of it. *text is
 * malloc'ed (free with free()), NUL-terminated, and *len bytes long without
 * the NUL. Returns 0, -EINVAL or -E2BIG for a spec the kernel would refuse
 * (invalid name, generation id, mode or flags, too many digests or signers),
 * or -ENOMEM.
 */
int ew_manifest_text(const struct ew_reg_spec *spec, char **text, size_t *len);

/*
 * A process of a registered module, and the verdict on its executable: an
 * EDGEWARD_CMD_EXEC_NTF event or the reply to EDGEWARD_CMD_ATTEST.
 */
struct ew_task {
	uint32_t verdict;	/* enum edgeward_verdict */
	uint32_t pid;		/* events: initial pid namespace; attest: the caller's
				 * (0: the process is not visible in it) */
	uint64_t start_time;	/* attest: ns since boot; 0 in events */
	uint64_t cgroup_id;	/* the cgroup of the process */
	uint64_t reg_cgroup_id;	/* the registered cgroup governing it */
	char name[EDGEWARD_NAME_MAX_LEN + 1];	/* of that registration */
	char gen_id[EDGEWARD_NAME_MAX_LEN + 1];
	bool has_digest;	/* false: unmeasured (or, attest, unjudged) */
	uint8_t digest[EDGEWARD_DIGEST_LEN];
	char path[EW_PATH_MAX];	/* the executable; empty if the kernel could not name it */
};

/*
 * Says who a process is: the peer of the connected Unix socket sock_fd
 * (race-free), or the process pid (diagnostics only: compare start_time).
 * -ESRCH if it has exited, -ENOENT if no registration governs it;
 * ew_attest_fd also -EBADF, -ENOTSOCK, -EPROTOTYPE or -ENOTCONN for an
 * unusable socket.
 */
int ew_attest_fd(struct ew_client *c, int sock_fd, struct ew_task *out,
		 struct ew_error *e);
int ew_attest_pid(struct ew_client *c, uint32_t pid, struct ew_task *out,
		  struct ew_error *e);

/* Events: a separate socket joined to EDGEWARD_MCGRP_EVENTS. */
struct ew_events;

struct ew_event {
	uint8_t cmd;		/* EDGEWARD_CMD_*_NTF */
	uint64_t seq;
	uint32_t mode;		/* EDGEWARD_CMD_MODE_CHANGE_NTF (LOCK_NTF: only seq) */
	struct ew_reg reg;	/* EDGEWARD_CMD_REG_{ADD,DEL,CHANGE}_NTF */
	struct ew_task task;	/* EDGEWARD_CMD_EXEC_NTF */
};

int ew_events_open(struct ew_events **out, struct ew_error *e);
void ew_events_close(struct ew_events *ev);
int ew_events_fd(const struct ew_events *ev);
/*
 * Waits up to timeout_ms (-1: forever) for the next event. Returns 1 with *out
 * filled, 0 on timeout, or a negative errno; -ENOBUFS means events were lost
 * and the caller should resynchronise (status + dump); -ENOENT means the
 * kernel module was unloaded and no event will ever come on this handle.
 */
int ew_events_next(struct ew_events *ev, struct ew_event *out, int timeout_ms,
		   struct ew_error *e);

/* Names and formats. */
const char *ew_mode_name(uint32_t mode);	/* "off", "audit", "enforce", "unknown" */
int ew_mode_parse(const char *s, uint32_t *mode);
/* "absent", "available", "not-configured", "measuring", "unknown" */
const char *ew_ima_state_name(uint32_t state);
/* "absent", "available", "test-keys", "unknown" */
const char *ew_keyring_state_name(uint32_t state);
/* "allowed", "denied", "audited", "unmeasured", "unjudged", "signed", "unknown" */
const char *ew_verdict_name(uint32_t verdict);
/* "reg-add", "reg-del", "reg-change", "mode-change", "exec", "lock", "unknown" */
const char *ew_event_name(uint8_t cmd);
/* One flag bit: "agent", "require-signed-manifest"; NULL for anything else. */
const char *ew_reg_flag_name(uint32_t flag);
/* Room for any formatted flags: every name, and unknown bits in hex. */
#define EW_REG_FLAGS_STRLEN 64
/*
 * Flags as their names joined by commas, in bit order ("" for none); bits
 * without a name as one "0x..." item at the end.
 */
void ew_reg_flags_format(uint32_t flags, char out[EW_REG_FLAGS_STRLEN]);
/*
 * The inverse: comma-separated names, each at most once, no spaces; ""
 * is no flags. -EINVAL otherwise, *flags untouched.
 */
int ew_reg_flags_parse(const char *s, uint32_t *flags);
/* A signer (key id) as the manifest and the tools show it: 8 lowercase hex digits. */
void ew_signer_format(uint32_t id, char out[9]);
/* Exactly 8 hex digits, either case, no prefix; -EINVAL otherwise. */
int ew_signer_parse(const char *hex, uint32_t *id);
int ew_digest_parse(const char *hex, uint8_t out[EDGEWARD_DIGEST_LEN]);
void ew_digest_format(const uint8_t d[EDGEWARD_DIGEST_LEN],
		      char out[2 * EDGEWARD_DIGEST_LEN + 1]);
/* The module id alphabet of uapi/linux/edgeward.h, 1..EDGEWARD_NAME_MAX_LEN. */
bool ew_ident_valid(const char *s);
/* Whether c (an unsigned char value) belongs to that alphabet. */
bool ew_ident_char_valid(int c);
/*
 * The cgroup id of a cgroup v2 directory (its file handle). Besides the
 * errors of open(2) and name_to_handle_at(2): -ENOTDIR for a non-directory,
 * -EMEDIUMTYPE for a directory outside cgroup v2.
 */
int ew_cgroup_id_of_path(const char *path, uint64_t *id);
/* The same for an open directory (as passed in struct ew_cgroup_ref). */
int ew_cgroup_id_of_fd(int fd, uint64_t *id);

/*
 * Low-level access for tests and tools that need to send what the high-level
 * calls never would (malformed requests, partial dumps).
 */
struct nl_sock *ew_client_sock(struct ew_client *c);
int ew_client_family(const struct ew_client *c);
/* A request for cmd with the family's header; flags are NLM_F_* extras. */
struct nl_msg *ew_msg_new(struct ew_client *c, uint8_t cmd, int flags);
/*
 * Sends msg (consumed) and receives until the final ACK or NLMSG_DONE, calling
 * parse (may be NULL) for every reply message; parse returns 0 (any value
 * >= 0) to go on, or a negative errno, which becomes the result (parse is not
 * called again, the rest of the reply is read and dropped so that the socket
 * stays usable). NLM_F_REQUEST is set, and NLM_F_ACK for a request without
 * NLM_F_DUMP; the port and sequence number are filled in. Returns 0, the
 * negative errno of the kernel's NLMSG_ERROR (with e->msg the extack
 * message), or a local failure. If dump_intr is not NULL it is set when any reply carried
 * NLM_F_DUMP_INTR.
 */
int ew_transact(struct ew_client *c, struct nl_msg *msg,
		int (*parse)(struct nl_msg *m, void *arg), void *arg,
		bool *dump_intr, struct ew_error *e);
/*
 * Fills r from one reply or notification message of the reg attribute set.
 * seq may be NULL (replies); when it is not, the message must carry
 * EDGEWARD_A_REG_SEQ (notifications). Returns 0 or -EPROTO.
 */
int ew_reg_parse(struct nl_msg *m, struct ew_reg *r, uint64_t *seq);
/*
 * Fills t from one message of the task attribute set. With seq NULL it is an
 * EDGEWARD_CMD_ATTEST reply (START_TIME required, any verdict); else an
 * EDGEWARD_CMD_EXEC_NTF event (SEQ required, verdict denied, audited or
 * unmeasured, pid not 0). Either way the digest must be present for a
 * verdict reached by measuring, absent for unmeasured. Returns 0 or -EPROTO.
 */
int ew_task_parse(struct nl_msg *m, struct ew_task *t, uint64_t *seq);

#endif /* EDGEWARD_LIB_H */
