/**
 * libxl lines several scenarios expect word for word (xl-commands.md §3.1).
 */

/**
 * xl's destroy of a domain the failed create already took down: libxl looks
 * it up, finds nothing, and says so four times.
 */
export function destroyGoneLines(domid: number): string {
  return (
    `libxl: error: libxl_domain.c:356:libxl_domain_info: Domain ${domid}:Getting domain info: No such process\n` +
    `libxl: error: libxl_domain.c:1181:libxl__destroy_domid: Domain ${domid}:Non-existant domain\n` +
    `libxl: error: libxl_domain.c:1135:domain_destroy_callback: Domain ${domid}:Unable to destroy guest\n` +
    `libxl: error: libxl_domain.c:1062:domain_destroy_cb: Domain ${domid}:Destruction of domain failed\n`
  );
}
