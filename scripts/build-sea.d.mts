// Types for scripts/build-sea.mjs (imported by test/ship and test/bench).
export declare const SEA_FUSE: string;
export declare const TOOLS: readonly string[];
/** exit status of the script when this machine cannot build a SEA */
export declare const UNAVAILABLE: number;
/** why this machine cannot build a SEA, or null when it can */
export declare function seaUnavailable(nodeBinary?: string): string | null;
export declare function installLinks(binary: string, dir: string): void;
export declare function buildSea(opts?: { out?: string; links?: string; quiet?: boolean }): Promise<string>;
