/**
 * The xl command table: twin of tools/xl/xl_cmdtable.c (x86 build, so no
 * dt-overlay). Each entry: name, the name of its implementation (handlers.ts
 * maps it to code), can_dryrun, modifies, description, usage and options.
 *
 * The strings are xl's help text, reproduced byte for byte because `xl help`
 * is parsed by Debian's bash completion and by people's scripts. Everything
 * that prints help (xl help, xl CMD -h, usage errors, man pages) reads them
 * from here; nothing else spells them out.
 */

export interface CmdSpec {
  readonly name: string;
  /** name of the C entry point in xl, e.g. main_create: the key into handlers.ts */
  readonly impl: string;
  readonly canDryrun: boolean;
  readonly modifies: boolean;
  readonly desc: string;
  readonly usage: string;
  /** null when the C table has no options string (no "Options:" section) */
  readonly option: string | null;
}

export const CMD_TABLE: readonly CmdSpec[] = [
  {
    name: "create",
    impl: "main_create",
    canDryrun: true,
    modifies: true,
    desc: "Create a domain from config file <filename>",
    usage: "<ConfigFile> [options] [vars]",
    option:
      "-c                      Connect to the console after the domain is created.\n" +
      "-d                      Enable debug messages.\n" +
      "-e                      Do not wait in the background for the death of the domain.\n" +
      "-F                      Run in foreground until death of the domain.\n" +
      "-f FILE, --defconfig=FILE\n" +
      "                     Use the given configuration file.\n" +
      "-h                      Print this help.\n" +
      "-n, --dryrun            Dry run - prints the resulting configuration\n" +
      "                         (deprecated in favour of global -N option).\n" +
      "-p                      Leave the domain paused after it is created.\n" +
      "-q, --quiet             Quiet.\n" +
      "-V, --vncviewer         Connect to the VNC display after the domain is created.\n" +
      "-A, --vncviewer-autopass\n" +
      "                        Pass VNC password to viewer via stdin.\n" +
      "--ignore-global-affinity-masks Ignore global masks in xl.conf.",
  },
  {
    name: "config-update",
    impl: "main_config_update",
    canDryrun: true,
    modifies: true,
    desc: "Update a running domain's saved configuration, used when rebuilding the domain after reboot.\nWARNING: xl now has better capability to manage domain configuration, avoid using this command when possible",
    usage: "<Domain> <ConfigFile> [options] [vars]",
    option:
      "-h                      Print this help.\n" +
      "-f FILE, --defconfig=FILE\n" +
      "                     Use the given configuration file.\n" +
      "-d                      Enable debug messages.\n",
  },
  {
    name: "list",
    impl: "main_list",
    canDryrun: false,
    modifies: false,
    desc: "List information about all/some domains",
    usage: "[options] [Domain]\n",
    option:
      "-l, --long              Output all VM details\n" +
      "-v, --verbose           Prints out UUIDs and security context\n" +
      "-Z, --context           Prints out security context\n" +
      "-c, --cpupool           Prints the cpupool the domain is in\n" +
      "-n, --numa              Prints out NUMA node affinity",
  },
  {
    name: "destroy",
    impl: "main_destroy",
    canDryrun: false,
    modifies: true,
    desc: "Terminate a domain immediately",
    usage: "[options] <Domain>\n",
    option:
      "-f                      Permit destroying domain 0, which will only succeed\n" +
      "                        when run from disaggregated toolstack domain with a\n" +
      "                        hardware domain distinct from domain 0.",
  },
  {
    name: "shutdown",
    impl: "main_shutdown",
    canDryrun: false,
    modifies: true,
    desc: "Issue a shutdown signal to a domain",
    usage: "[options] <-a|Domain>",
    option:
      "-a, --all               Shutdown all guest domains.\n" +
      "-h                      Print this help.\n" +
      "-F                      Fallback to ACPI power event for HVM guests with\n" +
      "                        no PV drivers.\n" +
      "-w, --wait              Wait for guest(s) to shutdown.\n",
  },
  {
    name: "reboot",
    impl: "main_reboot",
    canDryrun: false,
    modifies: true,
    desc: "Issue a reboot signal to a domain",
    usage: "[options] <-a|Domain>",
    option:
      "-a, --all               Shutdown all guest domains.\n" +
      "-h                      Print this help.\n" +
      "-F                      Fallback to ACPI reset event for HVM guests with\n" +
      "                        no PV drivers.\n" +
      "-w, --wait              Wait for guest(s) to reboot.\n",
  },
  {
    name: "pci-attach",
    impl: "main_pciattach",
    canDryrun: false,
    modifies: true,
    desc: "Insert a new pass-through pci device",
    usage: "<Domain> <PCI_SPEC_STRING>",
    option: null,
  },
  {
    name: "pci-detach",
    impl: "main_pcidetach",
    canDryrun: false,
    modifies: true,
    desc: "Remove a domain's pass-through pci device",
    usage: "<Domain> <PCI_SPEC_STRING>",
    option: null,
  },
  {
    name: "pci-list",
    impl: "main_pcilist",
    canDryrun: false,
    modifies: false,
    desc: "List pass-through pci devices for a domain",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "pci-assignable-add",
    impl: "main_pciassignable_add",
    canDryrun: false,
    modifies: true,
    desc: "Make a device assignable for pci-passthru",
    usage: "[options] <BDF>",
    option:
      "-n NAME, --name=NAME    Name the assignable device.\n" +
      "-h                      Print this help.\n",
  },
  {
    name: "pci-assignable-remove",
    impl: "main_pciassignable_remove",
    canDryrun: false,
    modifies: true,
    desc: "Remove a device from being assignable",
    usage: "[options] <BDF>|NAME",
    option:
      "-h                      Print this help.\n" +
      "-r                      Attempt to re-assign the device to the\n" +
      "                        original driver.",
  },
  {
    name: "pci-assignable-list",
    impl: "main_pciassignable_list",
    canDryrun: false,
    modifies: false,
    desc: "List all the assignable pci devices",
    usage: "[options]",
    option:
      "-h                      Print this help.\n" +
      "-n, --show-names        Display assignable device names where\n" +
      "                        supplied.\n",
  },
  {
    name: "pause",
    impl: "main_pause",
    canDryrun: false,
    modifies: true,
    desc: "Pause execution of a domain",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "unpause",
    impl: "main_unpause",
    canDryrun: false,
    modifies: true,
    desc: "Unpause a paused domain",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "console",
    impl: "main_console",
    canDryrun: false,
    modifies: false,
    desc: "Attach to domain's console",
    usage: "[options] <Domain>\n-t <type>       console type, pv , serial or vuart\n-n <number>     console number\n-e <escape>     escape character",
    option: null,
  },
  {
    name: "vncviewer",
    impl: "main_vncviewer",
    canDryrun: false,
    modifies: false,
    desc: "Attach to domain's VNC server.",
    usage: "[options] <Domain>\n--autopass               Pass VNC password to viewer via stdin and\n                         -autopass\n--vncviewer-autopass     (consistency alias for --autopass)",
    option: null,
  },
  {
    name: "save",
    impl: "main_save",
    canDryrun: false,
    modifies: true,
    desc: "Save a domain state to restore later",
    usage: "[options] <Domain> <CheckpointFile> [<ConfigFile>]",
    option:
      "-h  Print this help.\n" +
      "-c  Leave domain running after creating the snapshot.\n" +
      "-p  Leave domain paused after creating the snapshot.\n" +
      "-D  Store the domain id in the configuration.",
  },
  {
    name: "migrate",
    impl: "main_migrate",
    canDryrun: false,
    modifies: true,
    desc: "Migrate a domain to another host",
    usage: "[options] <Domain> <host>",
    option:
      "-h              Print this help.\n" +
      "-C <config>     Send <config> instead of config file from creation.\n" +
      "-s <sshcommand> Use <sshcommand> instead of ssh.  String will be passed\n" +
      "                to sh. If empty, run <host> instead of ssh <host> xl\n" +
      "                migrate-receive [-d -e]\n" +
      "-e              Do not wait in the background (on <host>) for the death\n" +
      "                of the domain.\n" +
      "--debug         Print huge (!) amount of debug during the migration process.\n" +
      "-p              Do not unpause domain after migrating it.\n" +
      "-D              Preserve the domain id",
  },
  {
    name: "restore",
    impl: "main_restore",
    canDryrun: false,
    modifies: true,
    desc: "Restore a domain from a saved state",
    usage: "[options] [<ConfigFile>] <CheckpointFile>",
    option:
      "-h                       Print this help.\n" +
      "-p                       Do not unpause domain after restoring it.\n" +
      "-e                       Do not wait in the background for the death of the domain.\n" +
      "-d                       Enable debug messages.\n" +
      "-V, --vncviewer          Connect to the VNC display after the domain is created.\n" +
      "-A, --vncviewer-autopass Pass VNC password to viewer via stdin.",
  },
  {
    name: "migrate-receive",
    impl: "main_migrate_receive",
    canDryrun: false,
    modifies: true,
    desc: "Restore a domain from a saved state",
    usage: "- for internal use only",
    option: null,
  },
  {
    name: "suspend",
    impl: "main_suspend",
    canDryrun: false,
    modifies: true,
    desc: "Suspend a domain to RAM",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "resume",
    impl: "main_resume",
    canDryrun: false,
    modifies: true,
    desc: "Resume a domain from RAM",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "dump-core",
    impl: "main_dump_core",
    canDryrun: false,
    modifies: true,
    desc: "Core dump a domain",
    usage: "<Domain> <filename>",
    option: null,
  },
  {
    name: "cd-insert",
    impl: "main_cd_insert",
    canDryrun: true,
    modifies: true,
    desc: "Insert a cdrom into a guest's cd drive",
    usage: "<Domain> <VirtualDevice> <path>",
    option: null,
  },
  {
    name: "cd-eject",
    impl: "main_cd_eject",
    canDryrun: true,
    modifies: true,
    desc: "Eject a cdrom from a guest's cd drive",
    usage: "<Domain> <VirtualDevice>",
    option: null,
  },
  {
    name: "mem-max",
    impl: "main_memmax",
    canDryrun: false,
    modifies: true,
    desc: "Set the maximum amount reservation for a domain",
    usage: "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>",
    option: null,
  },
  {
    name: "mem-set",
    impl: "main_memset",
    canDryrun: false,
    modifies: true,
    desc: "Set the current memory usage for a domain",
    usage: "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>",
    option: null,
  },
  {
    name: "button-press",
    impl: "main_button_press",
    canDryrun: false,
    modifies: true,
    desc: "Indicate an ACPI button press to the domain",
    usage: "<Domain> <Button>",
    option: "<Button> may be 'power' or 'sleep'.",
  },
  {
    name: "vcpu-list",
    impl: "main_vcpulist",
    canDryrun: false,
    modifies: false,
    desc: "List the VCPUs for all/some domains",
    usage: "[Domain, ...]",
    option: null,
  },
  {
    name: "vcpu-pin",
    impl: "main_vcpupin",
    canDryrun: true,
    modifies: true,
    desc: "Set which CPUs a VCPU can use",
    usage: "[option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>",
    option:
      "-f, --force        undo an override pinning done by the kernel\n" +
      "--ignore-global-affinity-masks Ignore global masks in xl.conf",
  },
  {
    name: "vcpu-set",
    impl: "main_vcpuset",
    canDryrun: false,
    modifies: true,
    desc: "Set the number of active VCPUs allowed for the domain",
    usage: "[option] <Domain> <vCPUs>",
    option: "-i, --ignore-host  Don't limit the vCPU based on the host CPU count",
  },
  {
    name: "vm-list",
    impl: "main_vm_list",
    canDryrun: false,
    modifies: false,
    desc: "List guest domains, excluding dom0, stubdoms, etc.",
    usage: "",
    option: null,
  },
  {
    name: "info",
    impl: "main_info",
    canDryrun: false,
    modifies: false,
    desc: "Get information about Xen host",
    usage: "-n, --numa         List host NUMA topology information",
    option: null,
  },
  {
    name: "sharing",
    impl: "main_sharing",
    canDryrun: false,
    modifies: false,
    desc: "Get information about page sharing",
    usage: "[Domain]",
    option: null,
  },
  {
    name: "sched-credit",
    impl: "main_sched_credit",
    canDryrun: false,
    modifies: true,
    desc: "Get/set credit scheduler parameters",
    usage: "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT]] [-p CPUPOOL]",
    option:
      "-d DOMAIN, --domain=DOMAIN        Domain to modify\n" +
      "-w WEIGHT, --weight=WEIGHT        Weight (int)\n" +
      "-c CAP, --cap=CAP                 Cap (int)\n" +
      "-s         --schedparam           Query / modify scheduler parameters\n" +
      "-t TSLICE, --tslice_ms=TSLICE     Set the timeslice, in milliseconds\n" +
      "-r RLIMIT, --ratelimit_us=RLIMIT  Set the scheduling rate limit, in microseconds\n" +
      "-m DLY, --migration_delay_us=DLY  Set the migration delay, in microseconds\n" +
      "-p CPUPOOL, --cpupool=CPUPOOL     Restrict output to CPUPOOL",
  },
  {
    name: "sched-credit2",
    impl: "main_sched_credit2",
    canDryrun: false,
    modifies: true,
    desc: "Get/set credit2 scheduler parameters",
    usage: "[-d <Domain> [-w[=WEIGHT]]] [-p CPUPOOL]",
    option:
      "-d DOMAIN, --domain=DOMAIN     Domain to modify\n" +
      "-w WEIGHT, --weight=WEIGHT     Weight (int)\n" +
      "-c CAP,    --cap=CAP           Cap (int)\n" +
      "-s         --schedparam        Query / modify scheduler parameters\n" +
      "-r RLIMIT, --ratelimit_us=RLIMIT Set the scheduling rate limit, in microseconds\n" +
      "-p CPUPOOL, --cpupool=CPUPOOL  Restrict output to CPUPOOL",
  },
  {
    name: "sched-rtds",
    impl: "main_sched_rtds",
    canDryrun: false,
    modifies: true,
    desc: "Get/set rtds scheduler parameters",
    usage: "[-d <Domain> [-v[=VCPUID/all]] [-p[=PERIOD]] [-b[=BUDGET]] [-e[=Extratime]]]",
    option:
      "-d DOMAIN, --domain=DOMAIN     Domain to modify\n" +
      "-v VCPUID/all, --vcpuid=VCPUID/all    VCPU to modify or output;\n" +
      "               Using '-v all' to modify/output all vcpus\n" +
      "-p PERIOD, --period=PERIOD     Period (us)\n" +
      "-b BUDGET, --budget=BUDGET     Budget (us)\n" +
      "-e Extratime, --extratime=Extratime Extratime (1=yes, 0=no)\n",
  },
  {
    name: "domid",
    impl: "main_domid",
    canDryrun: false,
    modifies: false,
    desc: "Convert a domain name to domain id",
    usage: "<DomainName>",
    option: null,
  },
  {
    name: "domname",
    impl: "main_domname",
    canDryrun: false,
    modifies: false,
    desc: "Convert a domain id to domain name",
    usage: "<DomainId>",
    option: null,
  },
  {
    name: "rename",
    impl: "main_rename",
    canDryrun: false,
    modifies: true,
    desc: "Rename a domain",
    usage: "<Domain> <NewDomainName>",
    option: null,
  },
  {
    name: "trigger",
    impl: "main_trigger",
    canDryrun: false,
    modifies: true,
    desc: "Send a trigger to a domain",
    usage: "<Domain> <nmi|reset|init|power|sleep|s3resume> [<VCPU>]",
    option: null,
  },
  {
    name: "sysrq",
    impl: "main_sysrq",
    canDryrun: false,
    modifies: true,
    desc: "Send a sysrq to a domain",
    usage: "<Domain> <letter>",
    option: null,
  },
  {
    name: "debug-keys",
    impl: "main_debug_keys",
    canDryrun: false,
    modifies: true,
    desc: "Send debug keys to Xen",
    usage: "<Keys>",
    option: null,
  },
  {
    name: "set-parameters",
    impl: "main_set_parameters",
    canDryrun: false,
    modifies: true,
    desc: "Set hypervisor parameters",
    usage: "<Params>",
    option: null,
  },
  {
    name: "dmesg",
    impl: "main_dmesg",
    canDryrun: false,
    modifies: false,
    desc: "Read and/or clear dmesg buffer",
    usage: "[-c]",
    option: "  -c                        Clear dmesg buffer as well as printing it",
  },
  {
    name: "top",
    impl: "main_top",
    canDryrun: false,
    modifies: false,
    desc: "Monitor a host and the domains in real time",
    usage: "",
    option: null,
  },
  {
    name: "network-attach",
    impl: "main_networkattach",
    canDryrun: true,
    modifies: true,
    desc: "Create a new virtual network device",
    usage: "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] [backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>] [accel=<accel>] [mtu=<mtu>]",
    option: null,
  },
  {
    name: "network-list",
    impl: "main_networklist",
    canDryrun: false,
    modifies: false,
    desc: "List virtual network interfaces for a domain",
    usage: "<Domain(s)>",
    option: null,
  },
  {
    name: "network-detach",
    impl: "main_networkdetach",
    canDryrun: false,
    modifies: true,
    desc: "Destroy a domain's virtual network device",
    usage: "<Domain> <DevId|mac>",
    option: null,
  },
  {
    name: "channel-list",
    impl: "main_channellist",
    canDryrun: false,
    modifies: false,
    desc: "List virtual channel devices for a domain",
    usage: "<Domain(s)>",
    option: null,
  },
  {
    name: "block-attach",
    impl: "main_blockattach",
    canDryrun: true,
    modifies: true,
    desc: "Create a new virtual block device",
    usage: "<Domain> <disk-spec-component(s)>...",
    option: null,
  },
  {
    name: "block-list",
    impl: "main_blocklist",
    canDryrun: false,
    modifies: false,
    desc: "List virtual block devices for a domain",
    usage: "<Domain(s)>",
    option: null,
  },
  {
    name: "block-detach",
    impl: "main_blockdetach",
    canDryrun: false,
    modifies: true,
    desc: "Destroy a domain's virtual block device",
    usage: "[option] <Domain> <DevId>",
    option: "-f, --force        do not wait for the domain to release the device",
  },
  {
    name: "vtpm-attach",
    impl: "main_vtpmattach",
    canDryrun: true,
    modifies: true,
    desc: "Create a new virtual TPM device",
    usage: "<Domain> [uuid=<uuid>] [backend=<BackDomain>]",
    option: null,
  },
  {
    name: "vtpm-list",
    impl: "main_vtpmlist",
    canDryrun: false,
    modifies: false,
    desc: "List virtual TPM devices for a domain",
    usage: "<Domain(s)>",
    option: null,
  },
  {
    name: "vtpm-detach",
    impl: "main_vtpmdetach",
    canDryrun: false,
    modifies: true,
    desc: "Destroy a domain's virtual TPM device",
    usage: "<Domain> <DevId|uuid>",
    option: null,
  },
  {
    name: "vkb-attach",
    impl: "main_vkbattach",
    canDryrun: true,
    modifies: true,
    desc: "Create a new virtual keyboard device",
    usage: "<Domain> <vkb-spec-component(s)>...",
    option: null,
  },
  {
    name: "vkb-list",
    impl: "main_vkblist",
    canDryrun: false,
    modifies: false,
    desc: "List virtual keyboard devices for a domain",
    usage: "<Domain(s)>",
    option: null,
  },
  {
    name: "vkb-detach",
    impl: "main_vkbdetach",
    canDryrun: false,
    modifies: true,
    desc: "Destroy a domain's virtual keyboard device",
    usage: "<Domain> <DevId>",
    option: null,
  },
  {
    name: "vdispl-attach",
    impl: "main_vdisplattach",
    canDryrun: true,
    modifies: true,
    desc: "Create a new virtual display device",
    usage: "<Domain> [backend=<BackDomain>] [be-alloc=<BackAlloc>] [connectors='<Connectors>']",
    option:
      "    BackAlloc  - set to 1 to if backend allocates display buffers\n" +
      "    Connectors - list of connector's description in ID:WxH format,\n" +
      "                 where: ID - unique connector ID, W - connector width,\n" +
      "                 H - connector height: connectors='id0:800x600;id1:1024x768'\n",
  },
  {
    name: "vdispl-list",
    impl: "main_vdispllist",
    canDryrun: false,
    modifies: false,
    desc: "List virtual display devices for a domain",
    usage: "<Domain(s)>",
    option: null,
  },
  {
    name: "vdispl-detach",
    impl: "main_vdispldetach",
    canDryrun: false,
    modifies: true,
    desc: "Destroy a domain's virtual display device",
    usage: "<Domain> <DevId>",
    option: null,
  },
  {
    name: "vsnd-attach",
    impl: "main_vsndattach",
    canDryrun: true,
    modifies: true,
    desc: "Create a new virtual sound device",
    usage: "<Domain> <vsnd-spec-component(s)>...",
    option: null,
  },
  {
    name: "vsnd-list",
    impl: "main_vsndlist",
    canDryrun: false,
    modifies: false,
    desc: "List virtual sound devices for a domain",
    usage: "<Domain(s)>",
    option: null,
  },
  {
    name: "vsnd-detach",
    impl: "main_vsnddetach",
    canDryrun: false,
    modifies: true,
    desc: "Destroy a domain's virtual sound device",
    usage: "<Domain> <DevId>",
    option: null,
  },
  {
    name: "uptime",
    impl: "main_uptime",
    canDryrun: false,
    modifies: false,
    desc: "Print uptime for all/some domains",
    usage: "[-s] [Domain]",
    option: null,
  },
  {
    name: "claims",
    impl: "main_claims",
    canDryrun: false,
    modifies: false,
    desc: "List outstanding claim information about all domains",
    usage: "",
    option: "",
  },
  {
    name: "cpupool-create",
    impl: "main_cpupoolcreate",
    canDryrun: true,
    modifies: true,
    desc: "Create a new CPU pool",
    usage: "[options] [<ConfigFile>] [Variable=value ...]",
    option:
      "-h, --help                   Print this help.\n" +
      "-f FILE, --defconfig=FILE    Use the given configuration file.\n" +
      "-n, --dryrun                 Dry run - prints the resulting configuration.\n" +
      "                              (deprecated in favour of global -N option).\n" +
      "\n" +
      "See the xlcpupool.cfg(5) manpage for more information.",
  },
  {
    name: "cpupool-list",
    impl: "main_cpupoollist",
    canDryrun: false,
    modifies: false,
    desc: "List CPU pools on host",
    usage: "[-c|--cpus] [<CPU Pool>]",
    option: "-c, --cpus                     Output list of CPUs used by a pool",
  },
  {
    name: "cpupool-destroy",
    impl: "main_cpupooldestroy",
    canDryrun: false,
    modifies: true,
    desc: "Deactivates a CPU pool",
    usage: "<CPU Pool>",
    option: null,
  },
  {
    name: "cpupool-rename",
    impl: "main_cpupoolrename",
    canDryrun: false,
    modifies: true,
    desc: "Renames a CPU pool",
    usage: "<CPU Pool> <new name>",
    option: null,
  },
  {
    name: "cpupool-cpu-add",
    impl: "main_cpupoolcpuadd",
    canDryrun: false,
    modifies: true,
    desc: "Adds a CPU to a CPU pool",
    usage: "<CPU Pool> <CPU nr>|node:<node nr>",
    option: null,
  },
  {
    name: "cpupool-cpu-remove",
    impl: "main_cpupoolcpuremove",
    canDryrun: false,
    modifies: true,
    desc: "Removes a CPU from a CPU pool",
    usage: "<CPU Pool> <CPU nr>|node:<node nr>",
    option: null,
  },
  {
    name: "cpupool-migrate",
    impl: "main_cpupoolmigrate",
    canDryrun: false,
    modifies: true,
    desc: "Moves a domain into a CPU pool",
    usage: "<Domain> <CPU Pool>",
    option: null,
  },
  {
    name: "cpupool-numa-split",
    impl: "main_cpupoolnumasplit",
    canDryrun: false,
    modifies: true,
    desc: "Splits up the machine into one CPU pool per NUMA node",
    usage: "",
    option: null,
  },
  {
    name: "getenforce",
    impl: "main_getenforce",
    canDryrun: false,
    modifies: false,
    desc: "Returns the current enforcing mode of the Flask Xen security module",
    usage: "",
    option: null,
  },
  {
    name: "setenforce",
    impl: "main_setenforce",
    canDryrun: false,
    modifies: true,
    desc: "Sets the current enforcing mode of the Flask Xen security module",
    usage: "<1|0|Enforcing|Permissive>",
    option: null,
  },
  {
    name: "loadpolicy",
    impl: "main_loadpolicy",
    canDryrun: false,
    modifies: true,
    desc: "Loads a new policy into the Flask Xen security module",
    usage: "<policy file>",
    option: null,
  },
  {
    name: "remus",
    impl: "main_remus",
    canDryrun: false,
    modifies: true,
    desc: "Enable Remus HA for domain",
    usage: "[options] <Domain> [<host>]",
    option:
      "-i MS                   Checkpoint domain memory every MS milliseconds (def. 200ms).\n" +
      "-u                      Disable memory checkpoint compression.\n" +
      "-s <sshcommand>         Use <sshcommand> instead of ssh.  String will be passed\n" +
      "                        to sh. If empty, run <host> instead of \n" +
      "                        ssh <host> xl migrate-receive -r [-e]\n" +
      "-e                      Do not wait in the background (on <host>) for the death\n" +
      "                        of the domain.\n" +
      "-N <netbufscript>       Use netbufscript to setup network buffering instead of the\n" +
      "                        default script (/etc/xen/scripts/remus-netbuf-setup).\n" +
      "-F                      Enable unsafe configurations [-b|-n|-d flags]. Use this option\n" +
      "                        with caution as failover may not work as intended.\n" +
      "-b                      Replicate memory checkpoints to /dev/null (blackhole).\n" +
      "                        Works only in unsafe mode.\n" +
      "-n                      Disable network output buffering. Works only in unsafe mode.\n" +
      "-d                      Disable disk replication. Works only in unsafe mode.\n" +
      "-c                      Enable COLO HA. It is conflict with -i and -b, and memory\n" +
      "                        checkpoint must be disabled.\n" +
      "-p                      Use COLO userspace proxy.",
  },
  {
    name: "devd",
    impl: "main_devd",
    canDryrun: false,
    modifies: true,
    desc: "Daemon that listens for devices and launches backends",
    usage: "[options]",
    option:
      "-F                      Run in the foreground.\n" +
      "-p, --pidfile [FILE]    Write PID to pidfile when daemonizing.",
  },
  {
    name: "psr-hwinfo",
    impl: "main_psr_hwinfo",
    canDryrun: false,
    modifies: true,
    desc: "Show hardware information for Platform Shared Resource",
    usage: "[options]",
    option:
      "-m, --cmt       Show Cache Monitoring Technology (CMT) hardware info\n" +
      "-a, --cat       Show Cache Allocation Technology (CAT) hardware info\n" +
      "-b, --mba       Show Memory Bandwidth Allocation (MBA) hardware info\n",
  },
  {
    name: "psr-cmt-attach",
    impl: "main_psr_cmt_attach",
    canDryrun: false,
    modifies: true,
    desc: "Attach Cache Monitoring Technology service to a domain",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "psr-cmt-detach",
    impl: "main_psr_cmt_detach",
    canDryrun: false,
    modifies: true,
    desc: "Detach Cache Monitoring Technology service from a domain",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "psr-cmt-show",
    impl: "main_psr_cmt_show",
    canDryrun: false,
    modifies: true,
    desc: "Show Cache Monitoring Technology information",
    usage: "<PSR-CMT-Type> <Domain>",
    option:
      "Available monitor types:\n" +
      "\"cache-occupancy\":         Show L3 cache occupancy(KB)\n" +
      "\"total-mem-bandwidth\":     Show total memory bandwidth(KB/s)\n" +
      "\"local-mem-bandwidth\":     Show local memory bandwidth(KB/s)\n",
  },
  {
    name: "psr-cat-set",
    impl: "main_psr_cat_cbm_set",
    canDryrun: false,
    modifies: true,
    desc: "Set cache capacity bitmasks(CBM) for a domain",
    usage: "[options] <Domain> <CBM>",
    option:
      "-s <socket>       Specify the socket to process, otherwise all sockets are processed\n" +
      "-l <level>        Specify the cache level to process, otherwise L3 cache is processed\n" +
      "-c                Set code CBM if CDP is supported\n" +
      "-d                Set data CBM if CDP is supported\n",
  },
  {
    name: "psr-cat-show",
    impl: "main_psr_cat_show",
    canDryrun: false,
    modifies: true,
    desc: "Show Cache Allocation Technology information",
    usage: "[options] <Domain>",
    option:
      "-l <level>        Specify the cache level to process, otherwise L3 cache is processed\n",
  },
  {
    name: "psr-mba-set",
    impl: "main_psr_mba_set",
    canDryrun: false,
    modifies: true,
    desc: "Set throttling value (THRTL) for a domain",
    usage: "[options] <Domain> <THRTL>",
    option:
      "-s <socket>       Specify the socket to process, otherwise all sockets are processed\n",
  },
  {
    name: "psr-mba-show",
    impl: "main_psr_mba_show",
    canDryrun: false,
    modifies: true,
    desc: "Show Memory Bandwidth Allocation information",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "usbctrl-attach",
    impl: "main_usbctrl_attach",
    canDryrun: false,
    modifies: true,
    desc: "Create a virtual USB controller for a domain",
    usage: "<Domain> [type=pv] [version=<version>] [ports=<number>]",
    option: null,
  },
  {
    name: "usbctrl-detach",
    impl: "main_usbctrl_detach",
    canDryrun: false,
    modifies: true,
    desc: "Remove the virtual USB controller specified by <DevId> for a domain",
    usage: "<Domain> <DevId>",
    option: null,
  },
  {
    name: "usbdev-attach",
    impl: "main_usbdev_attach",
    canDryrun: false,
    modifies: true,
    desc: "Attach a USB device to a domain",
    usage: "<Domain> hostbus=<busnum> hostaddr=<devnum> [controller=<DevId> [port=<port>]]",
    option: null,
  },
  {
    name: "usbdev-detach",
    impl: "main_usbdev_detach",
    canDryrun: false,
    modifies: true,
    desc: "Detach a USB device from a domain",
    usage: "<Domain> <controller> <port>",
    option: null,
  },
  {
    name: "usb-list",
    impl: "main_usblist",
    canDryrun: false,
    modifies: false,
    desc: "List information about all USB controllers and devices for a domain",
    usage: "<Domain>",
    option: null,
  },
  {
    name: "qemu-monitor-command",
    impl: "main_qemu_monitor_command",
    canDryrun: false,
    modifies: true,
    desc: "Issue a qemu monitor command to the device model of a domain",
    usage: "<Domain> <Command>",
    option: null,
  },
  {
    name: "xenstore-quota-get",
    impl: "main_xsquota_get",
    canDryrun: false,
    modifies: false,
    desc: "List global or domain specific Xenstore quotas",
    usage: "<Domain>|-g",
    option: null,
  },
  {
    name: "xenstore-quota-set",
    impl: "main_xsquota_set",
    canDryrun: false,
    modifies: true,
    desc: "Set global or domain specific Xenstore quotas",
    usage: "<Domain>|-g <quota>=<val>...",
    option: null,
  },
];

/**
 * Command lookup as xl does it: an exact name always wins; otherwise a
 * prefix that matches exactly one command selects it. "help" is not in the
 * table. The empty string prefixes everything, so it is ambiguous.
 */
export function cmdtableLookup(s: string | undefined): CmdSpec | undefined {
  if (s === undefined) return undefined;
  let found: CmdSpec | undefined;
  let count = 0;
  for (const c of CMD_TABLE) {
    if (c.name.startsWith(s)) {
      if (c.name.length === s.length) return c;
      found = c;
      count++;
    }
  }
  return count === 1 ? found : undefined;
}
