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
 * Writes s with control characters and backslashes escaped (\n, \xNN): paths
 * come from the file system and must not drive the terminal.
 */
void ctl_fputs_safe(const char *s, FILE *f);

#endif /* EDGEWARDCTL_OUTPUT_H */
