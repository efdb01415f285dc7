export const CHROMIUM: string;
export const NGINX: string;
export const TINI: string;
export type DebianPackageName = 'chromium' | 'nginx' | 'tini';
export const PACKAGES: Record<DebianPackageName, { file: string; pkg: string }>;
/** Installs the packages whose file is missing (apt-get, as root or through sudo). */
export function ensureDebianPackages(names: DebianPackageName[]): void;
