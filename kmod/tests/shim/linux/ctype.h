/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: tolower() of <linux/ctype.h>.  The kernel's character table
 * is ISO 8859-1: besides A-Z, the bytes 0xc0-0xde but 0xd7 (the
 * multiplication sign) are upper case, and lower to the byte 0x20 above.
 * libc's tolower() follows the locale, and is not used.
 */
#ifndef _SHIM_LINUX_CTYPE_H
#define _SHIM_LINUX_CTYPE_H

static inline unsigned char shim_tolower(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7))
		return c + 0x20;
	return c;
}

#define tolower(c)	shim_tolower(c)

#endif /* _SHIM_LINUX_CTYPE_H */
