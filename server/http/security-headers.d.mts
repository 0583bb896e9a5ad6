// Types of security-headers.mjs.
export declare const HSTS_MAX_AGE_SECONDS: number;
export declare const HSTS_VALUE: string;
export declare const PERMISSIONS_POLICY: string;
export declare function pageContentSecurityPolicy(nonce: string, opts: { dev: boolean; https: boolean; embed?: boolean }): string;
export declare const EMBED_HEADER: string;
export declare const EMBED_PATH_PREFIX: string;
export declare const API_CONTENT_SECURITY_POLICY: string;
