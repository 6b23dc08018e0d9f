/*
 * Stand-in for tools/include/libxlutil.h and the few libxl types the
 * libxlu disk/vif/pci parsers touch, so those C files can be compiled from
 * a Xen tree as a reference oracle for tests (see oracle.test.ts). Enum
 * values follow libxl_types.idl; everything else is minimal.
 */
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#define ERROR_FAIL -3
#define ERROR_NOMEM -5
#define ERROR_INVAL -6
typedef struct XLU_Config XLU_Config;
typedef struct XLU_ConfigList XLU_ConfigList;
typedef struct XLU_ConfigValue XLU_ConfigValue;
enum XLU_ConfigValueType { XLU_STRING, XLU_LIST };
enum XLU_Operation { XLU_OP_ASSIGNMENT = 0, XLU_OP_ADDITION };
typedef struct { int val; } libxl_defbool;
static inline void libxl_defbool_set(libxl_defbool *d, bool b) { d->val = b ? 1 : -1; }
enum { LIBXL_DISK_FORMAT_UNKNOWN = 0, LIBXL_DISK_FORMAT_QCOW, LIBXL_DISK_FORMAT_QCOW2, LIBXL_DISK_FORMAT_VHD,
       LIBXL_DISK_FORMAT_RAW, LIBXL_DISK_FORMAT_EMPTY, LIBXL_DISK_FORMAT_QED };
enum { LIBXL_DISK_BACKEND_UNKNOWN = 0, LIBXL_DISK_BACKEND_PHY, LIBXL_DISK_BACKEND_TAP, LIBXL_DISK_BACKEND_QDISK,
       LIBXL_DISK_BACKEND_STANDALONE };
enum { LIBXL_DISK_SPECIFICATION_UNKNOWN = 0, LIBXL_DISK_SPECIFICATION_XEN, LIBXL_DISK_SPECIFICATION_VIRTIO };
typedef struct {
    char *backend_domname, *pdev_path, *vdev;
    int backend, format;
    char *script;
    int removable, readwrite, is_cdrom;
    bool direct_io_safe;
    libxl_defbool discard_enable;
    int specification;
    libxl_defbool colo_enable;
    char *colo_host;
    int colo_port;
    char *colo_export, *active_disk, *hidden_disk;
    libxl_defbool trusted, grant_usage;
} libxl_device_disk;
typedef struct { uint64_t rate_bytes_per_interval; uint32_t rate_interval_usecs; } libxl_device_nic;
typedef int libxl_rdm_reserve_policy;
typedef struct { int strategy; int policy; } libxl_rdm_reserve;
#define LIBXL_RDM_RESERVE_STRATEGY_HOST 1
#define LIBXL_PCI_FUNC_ALL (~0U)
typedef struct {
    unsigned domain, bus, dev, func, vdevfn, vfunc_mask;
    int permissive, msitranslate, seize, power_mgmt, rdm_policy;
    char *name;
} libxl_device_pci;
void oracle_fatal(const char *msg);
int libxl_rdm_reserve_policy_from_string(const char *s, libxl_rdm_reserve_policy *p);
int xlu_disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs, libxl_device_disk *disk);
int xlu_vif_parse_rate(XLU_Config *cfg, const char *rate, libxl_device_nic *nic);
int xlu_pci_parse_spec_string(XLU_Config *cfg, libxl_device_pci *pci, const char *str);
int xlu_rdm_parse(XLU_Config *cfg, libxl_rdm_reserve *rdm, const char *str);
