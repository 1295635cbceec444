#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The tables that the CLI, the fuzzer and the documentation take from the
YNL spec, Documentation/netlink/specs/clipper.yaml ("make gen" runs this).

  ynl-gen-tables.py [--spec SPEC] [--src DIR] [--out DIR]

writes, under --out (default: the tree this script is in):

  cli/attrs.h                    per attribute set, the libmnl type of each
                                 attribute (cl_attr_parse()'s tables), and
                                 the exact length of a binary attribute
                                 where the spec has one;
  selftests/clipper/nlfuzz-spec.h  the commands and every attribute with
                                 its type and checks, for nlfuzz.c;
  Documentation/netlink.rst      the part between ".. generated-begin" and
                                 ".. generated-end": a table per attribute
                                 set, the constants and the enums; the
                                 rest is the page of --src (default: the
                                 tree) as it is.

scripts/test-ynl.sh generates into a temporary directory and compares.
Needs python3 and python3-yaml only.

The spec's conventions that this script relies on, besides the schema:
every attribute but the unused and pad ones has a doc; in a set that a
request carries (a nest of an operation's request), an attribute that
only replies carry has a doc that starts with "reply" (test-ynl.sh checks
that against kmod/netlink.c's policies).
"""
import argparse
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_REL = 'Documentation/netlink/specs/clipper.yaml'
CLI_H = 'cli/attrs.h'
FUZZ_H = 'selftests/clipper/nlfuzz-spec.h'
RST = 'Documentation/netlink.rst'
BEGIN = '.. generated-begin'
END = '.. generated-end'
NOTE = (f'Generated from {SPEC_REL} by scripts/ynl-gen-tables.py: '
        'do not edit, run "make gen".')

# YNL type -> libmnl's, for mnl_attr_validate(); None: not validated
MNL = {
    'unused': None, 'pad': None,
    'flag': 'MNL_TYPE_FLAG',
    'u8': 'MNL_TYPE_U8', 'u16': 'MNL_TYPE_U16',
    'u32': 'MNL_TYPE_U32', 'u64': 'MNL_TYPE_U64',
    'string': 'MNL_TYPE_NUL_STRING',
    'binary': 'MNL_TYPE_BINARY',
    'nest': 'MNL_TYPE_NESTED',
}
SCALAR_MAX = {'u8': 0xff, 'u16': 0xffff, 'u32': 0xffffffff,
              'u64': 0xffffffffffffffff}


class SpecError(Exception):
    pass


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


def one_line(text):
    return ' '.join((text or '').split())


class Attr:
    def __init__(self, aset, y, value):
        self.set = aset
        self.name = y['name']
        self.type = y['type']
        self.value = value
        self.doc = one_line(y.get('doc'))
        self.enum = y.get('enum')
        self.nested = y.get('nested-attributes')
        self.checks = dict(y.get('checks', {}))
        self.c_name = c_upper(aset.prefix + self.name)
        if self.type not in MNL:
            raise SpecError(f'{aset.name}/{self.name}: type {self.type}: '
                            'scripts/ynl-gen-tables.py does not know it yet')
        if self.type not in ('unused', 'pad') and not self.doc:
            raise SpecError(f'{aset.name}/{self.name}: no doc')
        if self.type == 'nest' and not self.nested:
            raise SpecError(f'{aset.name}/{self.name}: nest without '
                            'nested-attributes')
        if (self.type == 'string' and
                self.checks.get('unterminated-ok')):
            raise SpecError(f'{aset.name}/{self.name}: unterminated-ok '
                            'strings are not MNL_TYPE_NUL_STRING')

    @property
    def reply_only(self):
        """By the spec's convention: a doc that starts with "reply"."""
        return re.match(r'reply\b', self.doc, re.I) is not None


class AttrSet:
    def __init__(self, family, y):
        if 'subset-of' in y:
            raise SpecError(f'{y["name"]}: subset-of: not supported')
        self.name = y['name']
        self.doc = one_line(y.get('doc'))
        if 'name-prefix' in y:
            self.prefix = y['name-prefix']
        elif self.name == family.name:
            self.prefix = family.name + '-a-'
        else:
            self.prefix = f'{family.name}-a-{self.name}-'
        self.max_name = c_upper(y.get('attr-max-name', self.prefix + 'max'))
        self.enum_name = y.get('enum-name')
        self.attrs = []
        value = 1
        for a in y['attributes']:
            value = a.get('value', value)
            self.attrs.append(Attr(self, a, value))
            value += 1
        self.by_name = {a.name: a for a in self.attrs}
        self.max = max(a.value for a in self.attrs)
        self.c_name = c_lower(self.name)
        # whether a request carries it (Family fills it in)
        self.in_request = False


class Op:
    def __init__(self, y, value):
        self.name = y['name']
        self.value = value
        self.doc = one_line(y.get('doc'))
        self.attr_set = y.get('attribute-set')
        self.do = 'do' in y
        self.dump = 'dump' in y
        self.event = 'event' in y
        self.admin = 'admin-perm' in y.get('flags', [])
        self.request = []
        for mode in ('do', 'dump'):
            self.request += [a for a in
                             y.get(mode, {}).get('request', {})
                             .get('attributes', [])
                             if a not in self.request]


class Family:
    def __init__(self, path):
        with open(path, encoding='utf-8') as f:
            self.y = yaml.safe_load(f)
        y = self.y
        self.name = y['name']
        self.consts = {}
        self.enums = []
        for d in y.get('definitions', []):
            if d['type'] == 'const':
                self.consts[d['name']] = d['value']
            elif d['type'] in ('enum', 'flags'):
                self.enums.append(d)
        self.sets = [AttrSet(self, s) for s in y['attribute-sets']]
        self.set_by_name = {s.name: s for s in self.sets}
        for s in self.sets:
            for a in s.attrs:
                if a.nested and a.nested not in self.set_by_name:
                    raise SpecError(f'{s.name}/{a.name}: no set {a.nested}')
                for k, v in a.checks.items():
                    if isinstance(v, str) and k != 'flags-mask':
                        if v not in self.consts:
                            raise SpecError(f'{s.name}/{a.name}: checks: '
                                            f'{k}: {v}: no such const')
                        a.checks[k] = self.consts[v]
        ops = y['operations']
        self.op_prefix = ops.get('name-prefix', self.name + '-cmd-')
        self.ops = []
        value = 1
        for o in ops['list']:
            value = o.get('value', value)
            self.ops.append(Op(o, value))
            value += 1
        tops = {op.attr_set for op in self.ops if op.attr_set}
        if len(tops) != 1:
            raise SpecError('operations: one top-level set is supported')
        self.top = self.set_by_name[tops.pop()]
        if self.top.max >= 64:
            raise SpecError(f'{self.top.name}: nlfuzz-spec.h has a bit for '
                            'each top-level attribute, 64 at most')
        self.top.in_request = True
        # the nests that requests carry, and the nests inside those
        todo = [self.top.by_name[n] for op in self.ops for n in op.request]
        while todo:
            a = todo.pop()
            nested = self.set_by_name.get(a.nested)
            if nested and not nested.in_request:
                nested.in_request = True
                todo += self.request_attrs(nested)

    def request_attrs(self, aset):
        """The attributes of aset that a request may carry: of the top
        level, those an operation's request names; of a nest that a
        request carries, those whose doc does not start with "reply"."""
        if aset is self.top:
            names = {n for op in self.ops for n in op.request}
            return [a for a in aset.attrs if a.name in names]
        if not aset.in_request:
            return []
        return [a for a in aset.attrs
                if a.type not in ('unused', 'pad') and not a.reply_only]


def c_comment(lines, indent=''):
    if len(lines) == 1 and len(indent + lines[0]) <= 74:
        return [f'{indent}/* {lines[0]} */']
    out = [indent + '/*']
    for line in lines:
        out.append((indent + ' * ' + line).rstrip())
    out.append(indent + ' */')
    return out


def wrap(text, width):
    words, lines, cur = text.split(), [], ''
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f'{cur} {w}' if cur else w
    if cur:
        lines.append(cur)
    return lines


def tabs_to(text, col, start=0):
    """text, then tabs up to column col (tab stops of 8), text starting at
    column start."""
    end = start + len(text)
    return text + '\t' * max(1, (col - end // 8 * 8 + 7) // 8)


def align(keys, start=0):
    """The column after the longest of keys, a tab stop."""
    return (start + max(len(k) for k in keys) + 8) // 8 * 8


def c_assert(cond, msg):
    return [f'static_assert({cond},', f'\t      "{msg}");']


def c_header(what):
    """A generated C header's first lines: SPDX, then NOTE and what."""
    return ['/* SPDX-License-Identifier: GPL-2.0 */'] + \
        c_comment(wrap(NOTE, 72) + [''] + wrap(what, 72))


def gen_cli(fam):
    out = c_header(
        'For each attribute set of the family, what each of its attributes '
        'must be, indexed by the attribute: cl_attr_parse() checks a known '
        'attribute with mnl_attr_validate() and ignores the MNL_TYPE_UNSPEC '
        'ones (unused, pad) and those above the set\'s max (a newer '
        'module\'s). The max is the uAPI header\'s; each is asserted to be '
        'the spec\'s. A binary attribute of an exact length in the spec '
        'has it here as CL_<SET>_<ATTR>_LEN: MNL_TYPE_BINARY checks no '
        'length, the code that reads the attribute does.')
    out += ['#ifndef _CLIPPER_CLI_ATTRS_H', '#define _CLIPPER_CLI_ATTRS_H',
            '', '#include <assert.h>', '', '#include <libmnl/libmnl.h>', '',
            '#include "clipper.h"']
    for s in fam.sets:
        out.append('')
        out += c_comment(wrap(f'{s.name}: {s.doc}', 72))
        out += c_assert(f'{s.max_name} == {s.max}',
                        f'{s.max_name}: the uAPI header is not the spec\'s')
        out.append(f'static const enum mnl_attr_data_type '
                   f'cl_{s.c_name}_pol[{s.max_name} + 1] = {{')
        keys = [f'[{a.c_name}]' for a in s.attrs if MNL[a.type]]
        col = align(keys, 8)
        for k, a in zip(keys, [a for a in s.attrs if MNL[a.type]]):
            out.append('\t' + tabs_to(k, col, 8) + f'= {MNL[a.type]},')
        out.append('};')
        lens = [a for a in s.attrs
                if a.type == 'binary' and 'exact-len' in a.checks]
        if lens:
            out.append('')
        for a in lens:
            define = f'#define CL_{c_upper(s.name)}_{c_upper(a.name)}_LEN'
            out.append(tabs_to(define, align([define])) +
                       f'{a.checks["exact-len"]}\t/* {a.c_name} */')
    out += ['', '#endif /* _CLIPPER_CLI_ATTRS_H */']
    return '\n'.join(out) + '\n'


FUZZ_TYPES = ['unused', 'pad', 'flag', 'u8', 'u16', 'u32', 'u64', 'string',
              'binary', 'nest']


def c_init(key, fields):
    """An array element: on one line if it fits, else a field or a few a
    line."""
    line = f'\t{key} = {{ ' + ', '.join(fields) + ' },'
    if len(line) + 7 <= 80:
        return [line]
    out, cur = [f'\t{key} = {{'], ''
    for f in fields:
        if cur and len(cur) + len(f) + 2 > 64:
            out.append(f'\t\t{cur},')
            cur = f
        else:
            cur = f'{cur}, {f}' if cur else f
    out.append(f'\t\t{cur},')
    if len(out[-1]) + 14 > 80 and ' | ' in cur:
        # "\t\t.request = A | B,": one operand a line
        head, rest = cur.split(' = ', 1)
        ops = rest.split(' | ')
        col = 16 + len(head + ' = ')
        pad = '\t' * (col // 8) + ' ' * (col % 8)
        out[-1:] = [f'\t\t{head} = {ops[0]} |'] + \
            [f'{pad}{o} |' for o in ops[1:-1]] + [f'{pad}{ops[-1]},']
    out.append('\t},')
    return out


def gen_fuzz(fam):
    out = c_header(
        'The family as nlfuzz.c builds its requests from it: the commands '
        '(do, dump, event, admin-perm, the top-level attributes of the '
        'request) and, per attribute set, every attribute with its type, '
        'its nested set, its checks and whether a request may carry it '
        '(an attribute of a top-level request, or of a nest that one '
        'carries and whose doc does not start with "reply").')
    out += ['#ifndef _NLFUZZ_SPEC_H', '#define _NLFUZZ_SPEC_H', '',
            '#include <assert.h>', '#include <stdbool.h>',
            '#include <stdint.h>', '', '#include "clipper.h"', '',
            'enum spec_type {']
    out += [f'\tSPEC_{c_upper(t)},' for t in FUZZ_TYPES]
    out += ['};', '', 'enum spec_set_id {']
    out += [f'\tSPEC_SET_{c_upper(s.name)},' for s in fam.sets]
    out += ['\tSPEC_NSETS', '};', '',
            'struct spec_attr {',
            '\tconst char *name;\t/* NULL: no attribute of that number */',
            '\tenum spec_type type;',
            '\tenum spec_set_id nest;\t/* the set inside a SPEC_NEST */',
            '\tbool request;\t\t/* a request may carry it */',
            '\tbool has_min, has_max;',
            '\tuint64_t min, max;\t/* checks: min, max */',
            '\tuint16_t exact_len;\t/* checks: exact-len, 0: none */',
            '\tuint16_t max_len;\t/* checks: max-len, 0: none */',
            '};', '',
            'struct spec_set {',
            '\tconst char *name;',
            '\tuint16_t max;',
            '\tconst struct spec_attr *attr;\t/* [max + 1] */',
            '};', '',
            'struct spec_op {',
            '\tconst char *name;\t/* NULL: no command of that number */',
            '\tbool do_, dump, event, admin;',
            '\tuint64_t request;\t/* bit n: top-level attribute n */',
            '};']
    for s in fam.sets:
        out.append('')
        out.append(f'static const struct spec_attr '
                   f'spec_{s.c_name}_attrs[{s.max_name} + 1] = {{')
        req = set(id(a) for a in fam.request_attrs(s))
        for a in s.attrs:
            f = [f'.name = "{a.name}"', f'.type = SPEC_{c_upper(a.type)}']
            if a.nested:
                f.append(f'.nest = SPEC_SET_{c_upper(a.nested)}')
            if id(a) in req:
                f.append('.request = true')
            for k in ('min', 'max'):
                if k in a.checks:
                    f += [f'.has_{k} = true', f'.{k} = {a.checks[k]}']
            for k in ('exact-len', 'max-len'):
                if k in a.checks:
                    f.append(f'.{c_lower(k)} = {a.checks[k]}')
            out += c_init(f'[{a.c_name}]', f)
        out.append('};')
    out += ['', 'static const struct spec_set spec_sets[SPEC_NSETS] = {']
    for s in fam.sets:
        out += c_init(f'[SPEC_SET_{c_upper(s.name)}]',
                      [f'.name = "{s.name}"', f'.max = {s.max_name}',
                       f'.attr = spec_{s.c_name}_attrs'])
    out.append('};')
    cmd_max = c_upper(fam.y['operations'].get('cmd-max-name',
                                              fam.op_prefix + 'max'))
    out += [''] + c_assert(f'{cmd_max} == {fam.ops[-1].value}',
                           f'{cmd_max}: the uAPI header is not the spec\'s')
    out += [f'static const struct spec_op spec_ops[{cmd_max} + 1] = {{']
    for op in fam.ops:
        f = [f'.name = "{c_lower(op.name)}"']
        f += [f'.{k} = true' for k, v in
              (('do_', op.do), ('dump', op.dump), ('event', op.event),
               ('admin', op.admin)) if v]
        if op.request:
            f.append('.request = ' + ' | '.join(
                f'1ULL << {fam.top.by_name[n].c_name}' for n in op.request))
        out += c_init(f'[{c_upper(fam.op_prefix + op.name)}]', f)
    out += ['};', '', '#endif /* _NLFUZZ_SPEC_H */']
    return '\n'.join(out) + '\n'


def rst_text(text):
    """Plain text in reStructuredText: no markup of its own."""
    text = re.sub(r'([\\`*|])', r'\\\1', text)
    return re.sub(r'_(?!\w)', r'\\_', text)  # a name_ would be a link


def rst_checks(a):
    c = a.checks
    parts = []
    if 'min' in c and 'max' in c:
        parts.append(f'{c["min"]}..{c["max"]}')
    elif 'min' in c:
        parts.append(f'at least {c["min"]}')
    elif 'max' in c:
        parts.append(f'at most {c["max"]}')
    if 'exact-len' in c:
        parts.append(f'exactly {c["exact-len"]} bytes')
    if 'min-len' in c:
        parts.append(f'at least {c["min-len"]} bytes')
    if 'max-len' in c:
        parts.append(f'at most {c["max-len"]} bytes')
    return ', '.join(parts)


def rst_table(header, rows, widths):
    out = ['.. list-table::', '   :header-rows: 1',
           '   :widths: ' + ' '.join(str(w) for w in widths), '']
    for row in [header] + rows:
        for i, cell in enumerate(row):
            out.append(('   * - ' if i == 0 else '     - ') + cell
                       if cell else ('   * -' if i == 0 else '     -'))
    return out


def rst_wrap(text, indent=''):
    """text wrapped at 78 columns, an inline literal never broken."""
    text = re.sub(r'``[^`]*``', lambda m: m.group(0).replace(' ', '\0'),
                  text)
    return [indent + line.replace('\0', ' ')
            for line in wrap(text, 78 - len(indent))]


def const_value(v):
    """As the uAPI header writes it: all ones in hex."""
    return f'0x{v:x}' if v >= 0xff and not v & (v + 1) else str(v)


def gen_rst(fam):
    out = [BEGIN, ''] + rst_wrap(NOTE, '   ') + ['']
    out[2] = '.. ' + out[2][3:]
    out += ['Attribute sets', '--------------', '']
    out += rst_wrap(
        'Each attribute with its number, its type (a nest names the set '
        'inside it), the checks the kernel applies to it in a request and '
        'its description. Its name in C is the set\'s prefix and the name '
        'below (``CLIPPER_A_`` and ``PROTOCOL``); for the YNL tools, the '
        'name in lower case with dashes (``protocol``). In the sets that '
        'requests carry, "reply" marks an attribute that only replies '
        'carry: a request with it is refused. An unknown attribute in a '
        'reply is one of a newer module: skip it.')
    for s in fam.sets:
        out += ['', f'``{s.name}``', '~' * (len(s.name) + 4), '']
        out += rst_wrap(rst_text(s.doc))
        out.append('')
        c = f'``enum {c_lower(s.enum_name)}``, ' if s.enum_name else ''
        out += rst_wrap(f'In C: {c}``{c_upper(s.prefix)}`` and the name; '
                        f'``{s.max_name}`` is the last.')
        out.append('')
        rows = []
        for a in s.attrs:
            if a.type == 'unused':
                continue
            t = a.type
            if a.nested:
                t = f'nest of ``{a.nested}``'
            elif a.enum:
                t = f'{a.type}, enum ``{a.enum}``'
            doc = a.doc if a.type != 'pad' else \
                'padding before a 64-bit attribute: skip it'
            rows.append([str(a.value), f'``{c_upper(a.name)}``', t,
                         rst_checks(a), rst_text(doc)])
        out += rst_table(['Value', 'Attribute', 'Type', 'Checks',
                          'Description'], rows, [6, 20, 16, 14, 44])
    out += ['', 'Enums and constants', '-------------------', '']
    for d in fam.y.get('definitions', []):
        if d['type'] != 'const':
            continue
        out.append(f'``{c_upper(fam.name + "-" + d["name"])}`` = '
                   f'{const_value(d["value"])}')
        out += rst_wrap(rst_text(one_line(d.get('doc'))), '    ')
    for d in fam.enums:
        name = d.get('enum-name', f'{fam.name}-{d["name"]}')
        prefix = d.get('name-prefix', f'{fam.name}-{d["name"]}-')
        out += ['', f'``enum {c_lower(name)}``, ``{c_upper(prefix)}`` '
                'and the name']
        out += rst_wrap(rst_text(one_line(d.get('doc'))), '    ')
        out.append('')
        entries, value = [], d.get('value-start', 0)
        for e in d['entries']:
            e = e if isinstance(e, dict) else {'name': e}
            value = e.get('value', value)
            entries.append((value, c_upper(e['name']),
                            rst_text(one_line(e.get('doc')))))
            value += 1
        if not any(doc for _, _, doc in entries):
            out += rst_wrap(', '.join(f'{v} ``{n}``'
                                      for v, n, _ in entries) + '.',
                            '    ')
            continue
        out += ['    ' + line if line else ''
                for line in rst_table(['Value', 'Name', 'Description'],
                                      [[str(v), f'``{n}``', doc]
                                       for v, n, doc in entries],
                                      [6, 20, 54])]
    out += ['', END]
    return '\n'.join(out) + '\n'


def splice_rst(page, section, path):
    lines = page.splitlines(keepends=True)
    begins = [i for i, l in enumerate(lines) if l.startswith(BEGIN)]
    ends = [i for i, l in enumerate(lines) if l.startswith(END)]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise SpecError(f'{path}: needs one "{BEGIN}" line and one '
                        f'"{END}" line after it')
    return ''.join(lines[:begins[0]]) + section + ''.join(lines[ends[0] + 1:])


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--spec', default=os.path.join(TOP, SPEC_REL))
    p.add_argument('--src', default=TOP,
                   help='the tree whose netlink.rst holds the prose')
    p.add_argument('--out', default=TOP, help='where to write')
    args = p.parse_args()
    try:
        fam = Family(args.spec)
        cli = gen_cli(fam)
        fuzz = gen_fuzz(fam)
        src = os.path.join(args.src, RST)
        with open(src, encoding='utf-8') as f:
            page = splice_rst(f.read(), gen_rst(fam), src)
    except (SpecError, KeyError, OSError, yaml.YAMLError) as e:
        print(f'ynl-gen-tables: {e}', file=sys.stderr)
        return 1
    write(os.path.join(args.out, CLI_H), cli)
    write(os.path.join(args.out, FUZZ_H), fuzz)
    write(os.path.join(args.out, RST), page)
    return 0


if __name__ == '__main__':
    sys.exit(main())
