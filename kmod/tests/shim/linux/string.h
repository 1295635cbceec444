/* SPDX-License-Identifier: GPL-2.0 */
/* Test shim: <linux/string.h>, libc's functions of the same names. */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>

#endif /* _SHIM_LINUX_STRING_H */
