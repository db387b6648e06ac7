/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's durable state: module identities (generation ids) and the
 * specs of the modules it runs, in one JSON file under the state directory,
 * replaced atomically on every change so that a crash leaves the last state
 * written whole. Keys and certificates live in their own stores; this file
 * only names them.
 *
 * Pointers into the state (identities, module records) stay valid until
 * the next add or delete of that kind.
 */
#ifndef EW_DAEMON_STATE_H
#define EW_DAEMON_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define EW_STATE_FILE "state.json"
#define EW_STATE_VERSION 1
#define EW_MODULE_NAME_MAX 128	/* IoT Hub module ids; the kernel's limit too */
#define EW_GEN_ID_MAX 64
#define EW_MANAGED_BY_MAX 128

struct ew_identity {
	char module_id[EW_MODULE_NAME_MAX + 1];
	char managed_by[EW_MANAGED_BY_MAX + 1];
	char gen_id[EW_GEN_ID_MAX + 1];
};

enum ew_module_type {
	EW_MODULE_PROCESS = 1,
	EW_MODULE_DOCKER,
};

struct ew_module_rec {
	char name[EW_MODULE_NAME_MAX + 1];
	enum ew_module_type type;
	/* The ModuleSpec as the agent sent it (validated), echoed in details. */
	cJSON *spec;
	/* Whether the daemon should keep it running (start/stop persist). */
	bool want_running;
};

struct ew_state {
	int dirfd;		/* the state directory */
	struct ew_identity *ids;
	size_t n_ids;
	struct ew_module_rec *mods;
	size_t n_mods;
	uint64_t last_gen_tick;	/* generation ids never repeat */
};

/*
 * Loads @dirfd/state.json, or starts empty when there is none. A file that
 * does not parse or validate is an error with a message in @err (the daemon
 * refuses to start rather than forget modules).
 */
int ew_state_load(struct ew_state *st, int dirfd, char *err, size_t errlen);
/* Writes the whole state atomically. */
int ew_state_save(struct ew_state *st, char *err, size_t errlen);
void ew_state_free(struct ew_state *st);

/*
 * A new generation id in Azure's form: the decimal count of 100 ns ticks
 * since 0001-01-01 (.NET DateTime.Ticks), strictly greater than any given
 * before by this state.
 */
void ew_state_new_gen_id(struct ew_state *st, char out[EW_GEN_ID_MAX + 1]);

struct ew_identity *ew_state_identity(struct ew_state *st, const char *module_id);
/* Adds an identity with a fresh generation id, or returns the existing one. */
int ew_state_identity_ensure(struct ew_state *st, const char *module_id,
			     const char *managed_by, struct ew_identity **out);
/* Gives @id a new generation id (its derived keys change with it). */
void ew_state_identity_rotate(struct ew_state *st, struct ew_identity *id);
int ew_state_identity_delete(struct ew_state *st, const char *module_id);

struct ew_module_rec *ew_state_module(struct ew_state *st, const char *name);
/* Takes ownership of @spec on success. -EEXIST if @name exists. */
int ew_state_module_add(struct ew_state *st, const char *name,
			enum ew_module_type type, cJSON *spec);
int ew_state_module_delete(struct ew_state *st, const char *name);

const char *ew_module_type_name(enum ew_module_type t);
int ew_module_type_parse(const char *s, enum ew_module_type *t);

#endif /* EW_DAEMON_STATE_H */
