export const root: string;
export const sqliteSchema: string;
export const postgresSchema: string;
export function postgresVariant(source: string): string;
export function writeVariants(): { sqlite: string; postgres: string };
