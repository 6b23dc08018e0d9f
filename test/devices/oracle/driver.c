/*
 * Batch driver for the libxlu oracle. Each stdin line is
 *     <kind> <hex-word> [<hex-word>...]
 * (kind: disk, vif, pci, rdm; words hex-encoded so they may hold any byte
 * but NUL). For each line it prints what the parser reported and the
 * fields it set, then a line "@@". A flex fatal error is caught and
 * printed as "FATAL <msg>".
 */
#include <setjmp.h>
#include <strings.h>
#include "libxlu_internal.h"

static jmp_buf fatal_jmp;
void oracle_fatal(const char *msg) {
    printf("FATAL %s\n", msg);
    longjmp(fatal_jmp, 1);
}

int libxl_rdm_reserve_policy_from_string(const char *s, libxl_rdm_reserve_policy *p) {
    if (!strcasecmp(s, "invalid")) { *p = -1; return 0; }
    if (!strcasecmp(s, "strict")) { *p = 0; return 0; }
    if (!strcasecmp(s, "relaxed")) { *p = 1; return 0; }
    return ERROR_FAIL;
}

static const char *fmts[] = { "unknown", "qcow", "qcow2", "vhd", "raw", "empty", "qed" };
static const char *bes[] = { "unknown", "phy", "tap", "qdisk", "standalone" };
static const char *specs[] = { "unknown", "xen", "virtio" };

static void ps(const char *k, const char *v) { if (v) printf("%s=[%s]\n", k, v); }
static void pb(const char *k, libxl_defbool b) { if (b.val) printf("%s=%s\n", k, b.val > 0 ? "True" : "False"); }

/* "_" stands for an empty word */
static char *unhex(const char *h, size_t n) {
    char *s = calloc(n / 2 + 1, 1);
    if (!strcmp(h, "_")) return s;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned v;
        sscanf(h + i, "%2x", &v);
        s[i / 2] = (char)v;
    }
    return s;
}

int main(void) {
    static char line[1 << 16];
    XLU_Config cfg = { 0, stdout, "command line" };
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    while (fgets(line, sizeof line, stdin)) {
        char *words[64];
        int n = 0;
        char *kind = strtok(line, " \n");
        char *w;
        if (!kind) continue;
        while (n < 64 && (w = strtok(NULL, " \n")) != NULL) words[n++] = unhex(w, strlen(w));
        if (!strcmp(kind, "disk")) {
            static libxl_device_disk d;
            int e;
            memset(&d, 0, sizeof d);
            if (setjmp(fatal_jmp) == 0) {
                e = xlu_disk_parse(&cfg, n, (const char *const *)words, &d);
                printf("rc=%d\n", e);
                if (!e) {
                    ps("backend_domname", d.backend_domname); ps("pdev_path", d.pdev_path); ps("vdev", d.vdev);
                    if (d.backend) printf("backend=%s\n", bes[d.backend]);
                    if (d.format) printf("format=%s\n", fmts[d.format]);
                    ps("script", d.script);
                    if (d.removable) printf("removable=%d\n", d.removable);
                    if (d.readwrite) printf("readwrite=%d\n", d.readwrite);
                    if (d.is_cdrom) printf("is_cdrom=%d\n", d.is_cdrom);
                    if (d.direct_io_safe) printf("direct_io_safe=1\n");
                    pb("discard_enable", d.discard_enable);
                    if (d.specification) printf("specification=%s\n", specs[d.specification]);
                    pb("colo_enable", d.colo_enable); ps("colo_host", d.colo_host);
                    if (d.colo_port) printf("colo_port=%d\n", d.colo_port);
                    ps("colo_export", d.colo_export); ps("active_disk", d.active_disk); ps("hidden_disk", d.hidden_disk);
                    pb("trusted", d.trusted); pb("grant_usage", d.grant_usage);
                }
            }
        } else if (!strcmp(kind, "vif") && n == 1) {
            libxl_device_nic nic;
            memset(&nic, 0, sizeof nic);
            errno = 0;
            int e = xlu_vif_parse_rate(&cfg, words[0], &nic);
            printf("rc=%d\n", e);
            if (!e) printf("%llu %u\n", (unsigned long long)nic.rate_bytes_per_interval, nic.rate_interval_usecs);
        } else if (!strcmp(kind, "pci") && n == 1) {
            libxl_device_pci p;
            memset(&p, 0, sizeof p);
            p.rdm_policy = 7;
            int e = xlu_pci_parse_spec_string(&cfg, &p, words[0]);
            printf("\nrc=%d\n", e);
            if (!e)
                printf("%x:%x:%x.%x vdevfn=%x mask=%x perm=%d msi=%d seize=%d pm=%d rdm=%d name=%s\n",
                       p.domain, p.bus, p.dev, p.func, p.vdevfn, p.vfunc_mask, !!p.permissive, !!p.msitranslate,
                       !!p.seize, !!p.power_mgmt, p.rdm_policy, p.name ? p.name : "(null)");
        } else if (!strcmp(kind, "rdm") && n == 1) {
            libxl_rdm_reserve r = { 0, 7 };
            int e = xlu_rdm_parse(&cfg, &r, words[0]);
            printf("\nrc=%d strategy=%d policy=%d\n", e, r.strategy, r.policy);
        }
        printf("@@\n");
    }
    return 0;
}
