// SPDX-License-Identifier: MIT
/*
 * tbfpack: command line for the TBF packer (the work is in tbfpack_lib.c).
 *
 *   tbfpack app --name N --flash ADDR --ram ADDR [--slot-size N]
 *               [--protected N] [--stack N] [--heap N] [--grant N]
 *               [--align N] --out X.tbf APP.elf
 *   tbfpack image --base ADDR [--size N] [--arch A] --out apps.bin
 *                 A.tbf B.tab ...
 *   tbfpack tab --name N --arch A --out X.tab A.tbf ...
 *   tbfpack info FILE [--base ADDR]
 *
 * `app` packs one statically linked app; `image` lays TBFs out at their
 * fixed flash addresses for the kernel to find; `info` prints the headers
 * of a TBF or of every object in an image (what the kernel's walk would
 * see).  `image` also takes libtock-c .tab files (with --arch, the board's
 * architecture): of each, the first TBF built for that architecture that
 * the layout can place (at its fixed address, overlapping nothing placed
 * so far, inside the image) is taken, and stderr says which and why each
 * other one was not.  `tab` writes a .tab (metadata.toml as elf2tab writes
 * it, members named as libtock-c names them) of TBFs built for one
 * architecture.  Numbers may be decimal or 0x-hex.  Exit status 0 on success, 1 on
 * any error, with the reason on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tools/tbfpack_lib.h"

static const char *prog = "tbfpack";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s app --name N --flash ADDR --ram ADDR [--slot-size N]\n"
		"              [--protected N] [--stack N] [--heap N] [--grant N]\n"
		"              [--align N] --out X.tbf APP.elf\n"
		"       %s image --base ADDR [--size N] [--arch A] --out IMG "
		"A.tbf|A.tab ...\n"
		"       %s tab --name N --arch A --out X.tab A.tbf ...\n"
		"       %s info FILE [--base ADDR]\n",
		prog, prog, prog, prog);
	exit(1);
}

static void die(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(1);
}

static uint32_t num(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	if (s == NULL)
		die("%s needs a value%s", opt, "");
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *s == '\0' || *end != '\0' || v > UINT32_MAX)
		die("%s: '%s' is not a 32-bit number", opt, s);
	return (uint32_t)v;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL)
		die("cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (buf == NULL)
				die("%s: out of memory%s", path, "");
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		die("cannot read %s: %s", path, strerror(errno));
	fclose(f);
	*len = n;
	return buf;
}

static void spew(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		die("cannot create %s: %s", path, strerror(errno));
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		remove(path);
		die("cannot write %s: %s", path, strerror(errno));
	}
}

static int cmd_app(int argc, char **argv)
{
	struct tbfpack_opts o;
	const char *out = NULL, *in = NULL;
	int have_flash = 0, have_ram = 0;
	uint8_t *elf, *tbf;
	size_t elf_len, tbf_len;
	char msg[256];

	tbfpack_opts_init(&o);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--name") == 0 && v)
			o.name = v;
		else if (strcmp(a, "--out") == 0 && v)
			out = v;
		else if (strcmp(a, "--flash") == 0)
			o.flash_origin = num(a, v), have_flash = 1;
		else if (strcmp(a, "--ram") == 0)
			o.ram_origin = num(a, v), have_ram = 1;
		else if (strcmp(a, "--slot-size") == 0)
			o.slot_size = num(a, v);
		else if (strcmp(a, "--protected") == 0)
			o.protected_size = num(a, v);
		else if (strcmp(a, "--stack") == 0)
			o.stack = num(a, v);
		else if (strcmp(a, "--heap") == 0)
			o.heap = num(a, v);
		else if (strcmp(a, "--grant") == 0)
			o.grant = num(a, v);
		else if (strcmp(a, "--align") == 0)
			o.align = num(a, v);
		else if (a[0] != '-' && in == NULL) {
			in = a;
			continue;
		} else
			usage();
		i++;
	}
	if (!in || !out || !o.name || !have_flash || !have_ram)
		usage();
	elf = slurp(in, &elf_len);
	if (tbfpack_app(elf, elf_len, &o, &tbf, &tbf_len, msg, sizeof(msg)) !=
	    TBFPACK_OK)
		die("%s: %s", in, msg);
	spew(out, tbf, tbf_len);
	free(tbf);
	free(elf);
	return 0;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

#define TAB_MEMBERS_MAX 64

/*
 * Add to ins[0..*n) the first TBF of the .tab at path built for arch that
 * the image can hold with what is there already; say which on stderr.
 */
static void take_from_tab(const char *path, const char *arch, uint32_t base,
			  uint32_t size, struct tbfpack_input *ins, size_t *n)
{
	struct tbfpack_tab_member m[TAB_MEMBERS_MAX];
	size_t len, count, img_len;
	uint8_t *tar = slurp(path, &len), *img;
	char msg[256], a[40];

	if (arch == NULL)
		die("%s: a .tab needs --arch (the board's architecture)%s",
		    path, "");
	if (tbfpack_tab_read(tar, len, m, TAB_MEMBERS_MAX, &count, msg,
			     sizeof(msg)) != TBFPACK_OK)
		die("%s: %s", path, msg);
	for (size_t i = 0; i < count; i++) {
		if (!tbfpack_tab_member_arch(m[i].name, a, sizeof(a)))
			continue;
		if (strcmp(a, arch) != 0) {
			fprintf(stderr, "%s: %s: skipped %s: built for %s\n",
				prog, path, m[i].name, a);
			continue;
		}
		/* label and data live until exit: m[] does not */
		ins[*n] = (struct tbfpack_input){ strdup(m[i].name),
						   m[i].data, m[i].len };
		if (ins[*n].label == NULL)
			die("out of memory%s%s", "", "");
		if (tbfpack_image(base, size, ins, *n + 1, &img, &img_len, msg,
				  sizeof(msg)) != TBFPACK_OK) {
			fprintf(stderr, "%s: %s: skipped %s: %s\n", prog, path,
				m[i].name, msg);
			continue;
		}
		free(img);
		fprintf(stderr, "%s: %s: took %s\n", prog, path, m[i].name);
		/* the data stays in tar, which lives until exit */
		(*n)++;
		return;
	}
	die("%s: no TBF built for %s fits this image", path, arch);
}

static int cmd_image(int argc, char **argv)
{
	struct tbfpack_input *ins = calloc((size_t)argc + 1, sizeof(*ins));
	const char *out = NULL, *arch = NULL;
	uint32_t base = 0, size = 0;
	int have_base = 0;
	size_t n = 0, img_len;
	uint8_t *img;
	char msg[256];

	if (ins == NULL)
		die("out of memory%s%s", "", "");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--out") == 0 && v)
			out = v;
		else if (strcmp(a, "--base") == 0)
			base = num(a, v), have_base = 1;
		else if (strcmp(a, "--size") == 0)
			size = num(a, v);
		else if (strcmp(a, "--arch") == 0 && v)
			arch = v;
		else if (a[0] != '-') {
			continue; /* inputs: below, once the options are known */
		} else
			usage();
		i++;
	}
	if (!out || !have_base)
		usage();
	/* plain TBFs first: a .tab's choice must fit around them */
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '-') {
			i++;
			continue;
		}
		if (ends_with(a, ".tab"))
			continue;
		ins[n].label = a;
		ins[n].data = slurp(a, &ins[n].len);
		n++;
	}
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-')
			i++;
		else if (ends_with(argv[i], ".tab"))
			take_from_tab(argv[i], arch, base, size, ins, &n);
	}
	if (tbfpack_image(base, size, ins, n, &img, &img_len, msg,
			  sizeof(msg)) != TBFPACK_OK)
		die("%s%s", msg, "");
	spew(out, img, img_len);
	free(img);
	free(ins); /* the inputs' data: freed at exit */
	return 0;
}

static int cmd_tab(int argc, char **argv)
{
	struct tbfpack_tab_member *m = calloc((size_t)argc + 1, sizeof(*m));
	const char *out = NULL, *name = NULL, *arch = NULL;
	size_t n = 0, tab_len;
	uint8_t *tab;
	char msg[256], date[32];
	time_t now = time(NULL);

	if (m == NULL)
		die("out of memory%s%s", "", "");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--out") == 0 && v)
			out = v;
		else if (strcmp(a, "--name") == 0 && v)
			name = v;
		else if (strcmp(a, "--arch") == 0 && v)
			arch = v;
		else if (a[0] != '-') {
			m[n].data = slurp(a, &m[n].len);
			if (tbfpack_tab_name(arch ? arch : "", m[n].data,
					     m[n].len, m[n].name,
					     sizeof(m[n].name), msg,
					     sizeof(msg)) != TBFPACK_OK)
				die("%s: %s (give --arch before the TBFs)", a,
				    msg);
			n++;
			continue;
		} else
			usage();
		i++;
	}
	if (!out || !name || !arch || n == 0)
		usage();
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (tbfpack_tab_write(name, date, m, n, &tab, &tab_len, msg,
			      sizeof(msg)) != TBFPACK_OK)
		die("%s%s", msg, "");
	spew(out, tab, tab_len);
	free(tab);
	return 0;
}

static void print_info(const uint8_t *obj, uint32_t addr,
		       enum tbf_verdict v, const struct tbf_info *t)
{
	printf("0x%08x: version %u header %u total 0x%x flags 0x%x: %s\n",
	       addr, obj[0] | obj[1] << 8, t->header_size, t->total_size,
	       t->flags,
	       v == TBF_APP ? "app" : tbf_reason_str(t->reason));
	if (v != TBF_APP)
		return;
	printf("            name '%.*s' %s init_fn_offset 0x%x "
	       "protected_trailer 0x%x\n",
	       t->name_len, (const char *)obj + t->name_off,
	       t->has_program ? "Program" : "Main", t->init_fn_offset,
	       t->protected_trailer_size);
	printf("            minimum_ram_size 0x%x binary_end 0x%x "
	       "entry 0x%08x\n",
	       t->minimum_ram_size, t->binary_end,
	       (uint32_t)tbf_entry(t, addr));
	if (t->has_fixed)
		printf("            fixed flash 0x%08x ram 0x%08x%s\n",
		       t->fixed_flash, t->fixed_ram,
		       tbf_flash_fixed_ok(t, addr) ? "" : "  (MISPLACED)");
	if (t->has_kernel_version)
		printf("            kernel version %u.%u\n", t->kernel_major,
		       t->kernel_minor);
}

static int cmd_info(int argc, char **argv)
{
	const char *path = NULL;
	uint32_t base = 0;
	int have_base = 0;
	size_t len, off = 0;
	uint8_t *buf;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--base") == 0) {
			base = num(argv[i], i + 1 < argc ? argv[i + 1] : NULL);
			have_base = 1;
			i++;
		} else if (argv[i][0] != '-' && path == NULL)
			path = argv[i];
		else
			usage();
	}
	if (path == NULL)
		usage();
	buf = slurp(path, &len);
	/* walk exactly as the kernel's loader does (doc/abi.md §9.5) */
	for (;;) {
		struct tbf_info t;
		enum tbf_verdict v = tbf_parse(buf + off, len - off, &t);

		if (v == TBF_END) {
			printf("0x%08zx: end (%s)\n", base + off,
			       tbf_reason_str(t.reason));
			break;
		}
		/* a lone TBF file: take the address from its fixed flash */
		if (!have_base && off == 0 && v == TBF_APP && t.has_fixed)
			base = t.fixed_flash - t.protected_size;
		print_info(buf + off, base + (uint32_t)off, v, &t);
		off += t.total_size;
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "app") == 0)
		return cmd_app(argc - 2, argv + 2);
	if (strcmp(argv[1], "image") == 0)
		return cmd_image(argc - 2, argv + 2);
	if (strcmp(argv[1], "tab") == 0)
		return cmd_tab(argc - 2, argv + 2);
	if (strcmp(argv[1], "info") == 0)
		return cmd_info(argc - 2, argv + 2);
	usage();
}
