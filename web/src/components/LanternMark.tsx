/** The app's small lantern logo (decorative). */
export function LanternMark({ size = 26 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="13" y="2" width="6" height="3" rx="1" fill="#b45309" />
      <ellipse cx="16" cy="16" rx="11" ry="10" fill="#dc2626" />
      <path d="M16 6c-4 3-4 17 0 20M16 6c4 3 4 17 0 20" stroke="#fbbf24" strokeWidth="1.5" fill="none" />
      <rect x="12" y="26" width="8" height="2.5" rx="1" fill="#b45309" />
      <path d="M16 28.5v2.5" stroke="#fbbf24" strokeWidth="1.5" />
    </svg>
  );
}
