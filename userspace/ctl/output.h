/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgewardctl's output: JSON objects built from the library's structs (keys
 * in snake_case, enums as names, digests as lowercase hex, 64-bit numbers
 * exact) and the aligned text shown to people.
 */
#ifndef EDGEWARDCTL_OUTPUT_H
#define EDGEWARDCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "daemon_view.h"
#include "edgeward.h"

/* Each returns a new object (free with cJSON_Delete), NULL if out of memory. */
cJSON *ctl_json_status(const struct ew_status *st);
cJSON *ctl_json_reg(const struct ew_reg *r);
cJSON *ctl_json_regs(const struct ew_reg *regs, size_t n);
cJSON *ctl_json_event(const struct ew_event *ev);
/* An attested process: digest null when it was not measured. */
cJSON *ctl_json_task(const struct ew_task *t);
cJSON *ctl_json_mode(uint32_t mode);
/* edgewardctl manifest --json: {"manifest": text}. */
cJSON *ctl_json_manifest(const char *text);
/* edgewardctl lock --json: {"locked": true}. */
cJSON *ctl_json_locked(bool locked);

/*
 * Prints j and a newline: indented, or on one line (events). Returns 0 or
 * -ENOMEM.
 */
int ctl_json_print(FILE *f, const cJSON *j, bool pretty);

/* "key: value" lines. */
void ctl_text_status(FILE *f, const struct ew_status *st);
/*
 * A table: CGROUP-ID, NAME, GEN-ID, DIGESTS (the count), MODE ("-" when it
 * follows the global mode), PATH, SIGNERS (key ids, comma-separated, "-"
 * for none), FLAGS (names, comma-separated, "-" for none).
 */
void ctl_text_regs(FILE *f, const struct ew_reg *regs, size_t n);
/* One registration, as register confirms it. */
void ctl_text_reg(FILE *f, const struct ew_reg *r);
/* An attested process, "key: value" lines. */
void ctl_text_task(FILE *f, const struct ew_task *t);
/* One line per event. */
void ctl_text_event(FILE *f, const struct ew_event *ev);

/*
 * list, joined with edgewardd's modules: each row has the fields of
 * ctl_json_reg (null for a module the kernel has no registration for:
 * cgroup_path, gen_id, digests, mode, signers, flags; cgroup_id null too
 * when the module has no cgroup), and "status" (the module's runtime
 * status, null for a registration no module owns), "verdict" (of the
 * cgroup's first process, null when none was attested) and "managed"
 * (whether a module of edgewardd owns it).
 */
cJSON *ctl_json_mods(const struct ctl_mod_row *rows, size_t n);
/*
 * The table of ctl_text_regs, "-" in the columns a row has no value for,
 * and STATUS, VERDICT and MANAGED ("yes"/"no") after FLAGS.
 */
void ctl_text_mods(FILE *f, const struct ctl_mod_row *rows, size_t n);

/*
 * system status: {"version", "provisioning_type", "kernel_module":
 * {"loaded", "version", "mode"} (version and mode null when not loaded),
 * "modules": {"total", "running", "stopped", "failed", "dead", "unknown"}}.
 */
cJSON *ctl_json_sysinfo(const struct ctl_sysinfo *si);
void ctl_text_sysinfo(FILE *f, const struct ctl_sysinfo *si);

/* module env: {"KEY": "VALUE", ...} in order; KEY=VALUE lines. */
cJSON *ctl_json_env(const struct ctl_env *env);
void ctl_text_env(FILE *f, const struct ctl_env *env);

/* check: [{"check", "result": "ok"|"warn"|"fail", "detail"}, ...]. */
cJSON *ctl_json_checks(const struct ctl_checks *c);
/* One line: "[ ok ] NAME: DETAIL", "[warn] ...", "[FAIL] ...". */
void ctl_text_check(FILE *f, const struct ctl_check *c);

/* config check --json: {"file", "ok", "error": the loader's line or null}. */
cJSON *ctl_json_config_check(const char *file, const char *error);

/*
 * Writes s with control characters and backslashes escaped (\n, \xNN): paths
 * come from the file system and must not drive the terminal.
 */
void ctl_fputs_safe(const char *s, FILE *f);

#endif /* EDGEWARDCTL_OUTPUT_H */
