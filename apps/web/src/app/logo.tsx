/** The wordmark: the favicon's "M" tile beside the product name (inline, so it needs no request). */
export function Logo() {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="6" fill="#311772" />
        <path d="M7 23V9h3l6 8 6-8h3v14h-3.5v-8.5L16 21l-5.5-6.5V23z" fill="#fff" />
      </svg>
      <span className="logo-text">Meltano UI</span>
    </span>
  );
}
