/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: the CLIPPER xtables target (target.c), registered by main.c.
 */
#ifndef _CLIPPER_TARGET_H
#define _CLIPPER_TARGET_H

int clipper_target_init(void);
void clipper_target_exit(void);

#endif /* _CLIPPER_TARGET_H */
