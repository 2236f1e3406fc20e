export declare const APT_COMMAND: string;
export interface BrowserInfo {
  label: string;
  variable: string;
  fallback: string;
}
export declare const BROWSERS: { chromium: BrowserInfo; firefox: BrowserInfo };
export type BrowserName = keyof typeof BROWSERS;
export interface MissingBrowser {
  name: BrowserName;
  label: string;
  variable: string;
  path: string;
  fromEnv: boolean;
}
export declare class SetupError extends Error {}
export declare function installReason(root?: string): string | null;
export declare function ensureInstalled(options?: {
  root?: string;
  run?: (command: string, args: string[], cwd: string) => number | null;
  log?: (message: string) => void;
}): boolean;
export declare function satisfies(version: string, range: string): boolean;
export declare function nodeVersionProblem(version: string, range: string | null): string | null;
export declare function missingBrowsers(names: BrowserName[], env?: Record<string, string | undefined>): MissingBrowser[];
export declare function browserAdvice(missing: MissingBrowser[]): string;
export declare const PACKAGES: Record<BrowserName, string>;
export declare function aptPlan(
  missing: MissingBrowser[],
  options?: { platform?: string; debian?: boolean; isRoot?: boolean; has?: (command: string) => boolean },
): string[][] | null;
export declare function ensureBrowsers(
  names: BrowserName[],
  env?: Record<string, string | undefined>,
  options?: {
    run?: (command: string, args: string[], cwd: string, env?: Record<string, string>) => number | null;
    log?: (message: string) => void;
    plan?: (missing: MissingBrowser[]) => string[][] | null;
    find?: (names: BrowserName[], env: Record<string, string | undefined>) => MissingBrowser[];
  },
): boolean;
export declare function selectsE2e(args: string[]): boolean;
