/** The UI's own version, shown by the API and the about panel. */
export const UI_VERSION = '0.1.0';
