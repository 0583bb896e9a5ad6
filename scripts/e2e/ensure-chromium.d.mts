export const DEFAULT_CHROMIUM_PATH: string;
/** Returns the browser's path, installing it first when it is missing and that is possible; throws otherwise. */
export function ensureChromium(log?: (line: string) => void): string;
