/**
 * The cases of tools/xl/check-xl-disk-parse and check-xl-vif-parse (Xen
 * 4.20): argv after `xl -N block-attach 0` / `xl -N network-attach 0`, the
 * expected exit status and the exact expected stdout. Copied from the
 * scripts so these checks run without a Xen tree (CI has none).
 */
export interface CheckCase {
  args: string[];
  rc: number;
  stdout: string;
}

export const DISK_CASES: CheckCase[] = [
  {"args":["foo"],"rc":1,"stdout":""},
  {"args":["/dev/vg/guest-volume,,hda"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/dev/vg/guest-volume\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["/dev/vg/guest-volume,raw,hda,rw"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/dev/vg/guest-volume\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/dev/vg/guest-volume\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["format=raw","vdev=hda","access=rw","target=/dev/vg/guest-volume"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/dev/vg/guest-volume\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["raw:/dev/vg/guest-volume,hda,w"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/dev/vg/guest-volume\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["/root/image.iso,,hdc,cdrom"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/root/image.iso\",\n    \"vdev\": \"hdc\",\n    \"format\": \"raw\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["/root/image.iso,,hdc,,cdrom"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/root/image.iso\",\n    \"vdev\": \"hdc\",\n    \"format\": \"raw\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["/root/image.iso,raw,hdc,devtype=cdrom"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/root/image.iso\",\n    \"vdev\": \"hdc\",\n    \"format\": \"raw\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/root/image.iso\",\n    \"vdev\": \"hdc\",\n    \"format\": \"raw\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["format=raw","vdev=hdc","access=ro","devtype=cdrom","target=/root/image.iso"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/root/image.iso\",\n    \"vdev\": \"hdc\",\n    \"format\": \"raw\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["raw:/root/image.iso,hdc:cdrom,ro"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/root/image.iso\",\n    \"vdev\": \"hdc\",\n    \"format\": \"raw\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["backendtype=phy,vdev=xvdb,access=w,target=/dev/vg/guest-volume"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/dev/vg/guest-volume\",\n    \"vdev\": \"xvdb\",\n    \"backend\": \"phy\",\n    \"format\": \"raw\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["devtype=cdrom,,,hdc"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"\",\n    \"vdev\": \"hdc\",\n    \"format\": \"empty\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":[",,hdc:cdrom,r"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"\",\n    \"vdev\": \"hdc\",\n    \"format\": \"empty\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":[",hdc:cdrom,r"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"\",\n    \"vdev\": \"hdc\",\n    \"format\": \"empty\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["vdev=hdc,access=r,devtype=cdrom,target="],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"\",\n    \"vdev\": \"hdc\",\n    \"format\": \"empty\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":[",empty,hdc:cdrom,r"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"\",\n    \"vdev\": \"hdc\",\n    \"format\": \"empty\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["vdev=hdc,access=r,devtype=cdrom,format=empty"],"rc":0,"stdout":"disk: {\n    \"vdev\": \"hdc\",\n    \"format\": \"empty\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["vdev=hdc,access=r,devtype=cdrom"],"rc":0,"stdout":"disk: {\n    \"vdev\": \"hdc\",\n    \"format\": \"empty\",\n    \"removable\": 1,\n    \"is_cdrom\": 1\n}\n\n"},
  {"args":["iscsi:iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost,xvda,w"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost\",\n    \"vdev\": \"xvda\",\n    \"format\": \"raw\",\n    \"script\": \"block-iscsi\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["vdev=xvda,access=w,script=block-iscsi,target=iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost\",\n    \"vdev\": \"xvda\",\n    \"format\": \"raw\",\n    \"script\": \"block-iscsi\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["drbd:app01,hda,w"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"app01\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"script\": \"block-drbd\",\n    \"readwrite\": 1\n}\n\n"},
  {"args":["discard","vdev=hda","target=/some/disk/image.raw"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/some/disk/image.raw\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1,\n    \"discard_enable\": \"True\"\n}\n\n"},
  {"args":["discard","vdev=hda","target=/some/disk/image.raw"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/some/disk/image.raw\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1,\n    \"discard_enable\": \"True\"\n}\n\n"},
  {"args":["cdrom","no-discard","vdev=hda","target=/some/disk/image.iso"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/some/disk/image.iso\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"removable\": 1,\n    \"is_cdrom\": 1,\n    \"discard_enable\": \"False\"\n}\n\n"},
  {"args":["trusted","vdev=hda","target=/some/disk/image.raw"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/some/disk/image.raw\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1,\n    \"trusted\": \"True\"\n}\n\n"},
  {"args":["untrusted","vdev=hda","target=/some/disk/image.raw"],"rc":0,"stdout":"disk: {\n    \"pdev_path\": \"/some/disk/image.raw\",\n    \"vdev\": \"hda\",\n    \"format\": \"raw\",\n    \"readwrite\": 1,\n    \"trusted\": \"False\"\n}\n\n"},
];

export const VIF_CASES: CheckCase[] = [
  {"args":["foo"],"rc":1,"stdout":""},
  {"args":["rate=foo"],"rc":1,"stdout":""},
  {"args":["rate=foo"],"rc":1,"stdout":""},
  {"args":["rate=10MB"],"rc":1,"stdout":""},
  {"args":["rate=10MB/m"],"rc":1,"stdout":""},
  {"args":["rate=10ZB"],"rc":1,"stdout":""},
  {"args":["rate=10ZB/s"],"rc":1,"stdout":""},
  {"args":["rate=10ZB/m"],"rc":1,"stdout":""},
  {"args":["rate=16000000b/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=16000000b/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=2000000B/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=2000000B/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=16Kb/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=16Kb/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=2KB/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=2KB/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=16Mb/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=16Mb/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=2MB/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=2MB/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 100000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=8Gb/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 50000000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=8Gb/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 50000000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=1GB/s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 50000000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=1GB/s@50ms"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 50000000,\n    \"rate_interval_usecs\": 50000\n}\n\n"},
  {"args":["rate=4294967296b/s"],"rc":1,"stdout":""},
  {"args":["rate=4294967296Kb/s"],"rc":1,"stdout":""},
  {"args":["rate=4294967296Mb/s"],"rc":1,"stdout":""},
  {"args":["rate=4294967296Gb/s"],"rc":1,"stdout":""},
  {"args":["rate=0B/s"],"rc":1,"stdout":""},
  {"args":["rate=10Mb/s@foo"],"rc":1,"stdout":""},
  {"args":["rate=10Mb/s@10h"],"rc":1,"stdout":""},
  {"args":["rate=10MB/s@foo"],"rc":1,"stdout":""},
  {"args":["rate=10MB/s@10h"],"rc":1,"stdout":""},
  {"args":["rate=80Mb/s@1s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 10000000,\n    \"rate_interval_usecs\": 1000000\n}\n\n"},
  {"args":["rate=10MB/s@1s"],"rc":0,"stdout":"vif: {\n    \"rate_bytes_per_interval\": 10000000,\n    \"rate_interval_usecs\": 1000000\n}\n\n"},
  {"args":["rate=1B/s@4294967296us"],"rc":1,"stdout":""},
  {"args":["rate=1B/s@4294968ms"],"rc":1,"stdout":""},
  {"args":["rate=1B/s@4295s"],"rc":1,"stdout":""},
  {"args":["rate=1B/s@0us"],"rc":1,"stdout":""},
  {"args":["rate=4294967295GB/s@5us"],"rc":1,"stdout":""},
  {"args":["rate=4296MB/s@4294s"],"rc":1,"stdout":""},
  {"args":["rate=@"],"rc":1,"stdout":""},
  {"args":["trusted"],"rc":0,"stdout":"vif: {\n    \"trusted\": \"True\"\n}\n\n"},
  {"args":["untrusted"],"rc":0,"stdout":"vif: {\n    \"trusted\": \"False\"\n}\n\n"},
];
