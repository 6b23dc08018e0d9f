/**
 * The simulated guest operating system (Debian 12, Linux 6.1): boot output
 * per boot path, the login shell on its consoles, SysRq and shutdown
 * messages, /proc and friends. Pure and deterministic; see each module's
 * header for its API.
 */
export * from './types';
export { bootTimeline, bootDmesg, formatKLines, type BootTimeline } from './boot';
export { consoleSetup, effectiveCmdline, ktime, ttyName, type ConsoleSetup } from './consoles';
export { newShell, feed, splitWords, type ShellState, type ShellMode, type FeedResult } from './shell';
export { runCommand, parseSize, type ShellEnv, type CmdResult } from './commands';
export { sysrqKey, shutdownSequence, type KernelEvent } from './sysrq';
export { diskAttached, nicAttached, vcpuOnline } from './hotplug';
export { memStats, freeCmd, meminfo, cpuinfo, unameCmd, ipAddr, lsblk, type GuestLive, type MemStats } from './procfs';
export { memTotalKiB, e820Map } from './mem';
export { blkName, rootPartition } from './blockdevs';
export { ifName, linuxBanner } from './linux-boot';
export { loginBanner, loginPrompt } from './userspace';
export type { GuestXs, XsReadResult, XsListResult } from './xsclient';
